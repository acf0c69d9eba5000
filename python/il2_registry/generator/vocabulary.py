"""Every verbatim text the generator can write, with what it is meant to mean.

The ingest engineer builds the terminology seeds (regimen and AE synonym lists) from these
tables; the truth module uses them to know which agents a regimen text names. A text whose
`agents` is empty is deliberately unmappable: the warehouse must class it `UNMAPPED`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Drug classes, as the core star schema names them (dim_agent.drug_class).
PD1 = "PD-1"
PDL1 = "PD-L1"
CTLA4 = "CTLA-4"
BRAF_MEK = "BRAF/MEK"
VEGF_TKI = "VEGF TKI"
MTOR = "mTOR"
CYTOKINE = "cytokine"
CHEMO = "chemotherapy"
OTHER = "other"

AGENT_CLASS: dict[str, str] = {
    "nivolumab": PD1,
    "pembrolizumab": PD1,
    "pd1_agent_not_recorded": PD1,
    "atezolizumab": PDL1,
    "avelumab": PDL1,
    "ipilimumab": CTLA4,
    "dabrafenib": BRAF_MEK,
    "trametinib": BRAF_MEK,
    "vemurafenib": BRAF_MEK,
    "cobimetinib": BRAF_MEK,
    "sunitinib": VEGF_TKI,
    "pazopanib": VEGF_TKI,
    "axitinib": VEGF_TKI,
    "sorafenib": VEGF_TKI,
    "cabozantinib": VEGF_TKI,
    "everolimus": MTOR,
    "temsirolimus": MTOR,
    "interferon alfa": CYTOKINE,
    "dacarbazine": CHEMO,
    "temozolomide": CHEMO,
    "carboplatin": CHEMO,
    "paclitaxel": CHEMO,
    "talimogene laherparepvec": OTHER,
    "bevacizumab": OTHER,
}


@dataclass(frozen=True)
class Regimen:
    text: str
    agents: tuple[str, ...]  # empty = deliberately unmappable

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(sorted({AGENT_CLASS[a] for a in self.agents}))


def _r(text: str, *agents: str) -> Regimen:
    return Regimen(text, agents)


# Regimen texts, grouped by the role the generator gives them.
NIVOLUMAB_TEXTS = [
    _r("Nivolumab", "nivolumab"),
    _r("OPDIVO 240 mg q2w", "nivolumab"),
    _r("nivo", "nivolumab"),
    _r("Opdivo", "nivolumab"),
    _r("nivolumab 3 mg/kg", "nivolumab"),
]
PEMBROLIZUMAB_TEXTS = [
    _r("Pembrolizumab", "pembrolizumab"),
    _r("Keytruda", "pembrolizumab"),
    _r("pembro", "pembrolizumab"),
    _r("KEYTRUDA 2 mg/kg q3w", "pembrolizumab"),
]
NIVO_IPI_TEXTS = [
    _r("nivo + ipi", "nivolumab", "ipilimumab"),
    _r("Nivolumab/Ipilimumab", "nivolumab", "ipilimumab"),
    _r("Opdivo + Yervoy", "nivolumab", "ipilimumab"),
]
ATEZOLIZUMAB_TEXTS = [_r("Atezolizumab", "atezolizumab"), _r("Tecentriq", "atezolizumab")]
PD1_NOT_RECORDED_TEXTS = [
    _r("anti-PD-1 (agent not recorded)", "pd1_agent_not_recorded"),
    _r("PD-1 inhibitor, agent unknown", "pd1_agent_not_recorded"),
    _r("anti PD1 on trial", "pd1_agent_not_recorded"),
]
IPILIMUMAB_TEXTS = [
    _r("Ipilimumab", "ipilimumab"),
    _r("Yervoy", "ipilimumab"),
    _r("ipi 3mg/kg", "ipilimumab"),
]
BRAF_MEK_TEXTS = [
    _r("Dabrafenib/Trametinib", "dabrafenib", "trametinib"),
    _r("Tafinlar + Mekinist", "dabrafenib", "trametinib"),
    _r("Vemurafenib", "vemurafenib"),
    _r("vemurafenib/cobimetinib", "vemurafenib", "cobimetinib"),
]
VEGF_TKI_TEXTS = [
    _r("Sunitinib", "sunitinib"),
    _r("Sutent 50mg", "sunitinib"),
    _r("Pazopanib", "pazopanib"),
    _r("Votrient", "pazopanib"),
    _r("Axitinib", "axitinib"),
    _r("Inlyta", "axitinib"),
    _r("Sorafenib", "sorafenib"),
    _r("Cabozantinib", "cabozantinib"),
]
MTOR_TEXTS = [
    _r("Everolimus", "everolimus"),
    _r("Afinitor", "everolimus"),
    _r("Temsirolimus", "temsirolimus"),
]
MELANOMA_OTHER_TEXTS = [
    _r("Interferon", "interferon alfa"),
    _r("IFN-alpha adjuvant", "interferon alfa"),
    _r("Dacarbazine", "dacarbazine"),
    _r("DTIC", "dacarbazine"),
    _r("Temozolomide", "temozolomide"),
    _r("carboplatin/paclitaxel", "carboplatin", "paclitaxel"),
    _r("T-VEC", "talimogene laherparepvec"),
]
RCC_OTHER_TEXTS = [_r("Interferon", "interferon alfa"), _r("Bevacizumab", "bevacizumab")]
UNMAPPABLE_TEXTS = [
    _r("clinical trial drug, blinded"),
    _r("per outside records, see scan"),
    _r("Investigational agent XR-17"),
]

# A text containing a comma and quotes, to exercise CSV quoting (maps to nivolumab).
QUOTED_NIVOLUMAB = _r('Nivolumab 240 mg, "flat dose"', "nivolumab")

ALL_REGIMENS: list[Regimen] = [
    *NIVOLUMAB_TEXTS,
    QUOTED_NIVOLUMAB,
    *PEMBROLIZUMAB_TEXTS,
    *NIVO_IPI_TEXTS,
    *ATEZOLIZUMAB_TEXTS,
    *PD1_NOT_RECORDED_TEXTS,
    *IPILIMUMAB_TEXTS,
    *BRAF_MEK_TEXTS,
    *VEGF_TKI_TEXTS,
    *MTOR_TEXTS,
    *MELANOMA_OTHER_TEXTS,
    *[r for r in RCC_OTHER_TEXTS if r not in MELANOMA_OTHER_TEXTS],
    *UNMAPPABLE_TEXTS,
]
REGIMEN_BY_TEXT: dict[str, Regimen] = {r.text: r for r in ALL_REGIMENS}


@dataclass(frozen=True)
class AeTerm:
    verbatim: str
    preferred_term: str  # lower case, as the paper names toxicities; "UNMAPPED" when none
    category: str
    is_immune_related_term: bool = False


def _t(verbatim: str, preferred: str, category: str, immune: bool = False) -> AeTerm:
    return AeTerm(verbatim, preferred, category, immune)


# Toxicities that stop HD IL-2 (the paper's list) and their verbatim synonyms.
STOP_TOXICITY_TERMS: list[AeTerm] = [
    _t("Hypotension", "hypotension", "cardiovascular"),
    _t("low BP", "hypotension", "cardiovascular"),
    _t("hypotensive, on pressors", "hypotension", "cardiovascular"),
    _t("Tachycardia", "tachycardia", "cardiovascular"),
    _t("sinus tach", "tachycardia", "cardiovascular"),
    _t("Diarrhea", "diarrhea", "gastrointestinal"),
    _t("diarrhoea", "diarrhea", "gastrointestinal"),
    _t("Hypoxia", "hypoxia", "respiratory"),
    _t("SOB/hypoxia", "hypoxia", "respiratory"),
    _t("Thrombocytopenia", "thrombocytopenia", "hematologic"),
    _t("low platelets", "thrombocytopenia", "hematologic"),
    _t("Rigors", "rigors", "constitutional"),
    _t("Capillary leak", "capillary leak syndrome", "vascular"),
    _t("Capillary leak syndrome", "capillary leak syndrome", "vascular"),
    _t("CLS", "capillary leak syndrome", "vascular"),
    _t("Confusion", "confusion", "neurologic"),
    _t("confused/disoriented", "confusion", "neurologic"),
    _t("Mental fatigue", "mental fatigue", "neurologic"),
    _t("Pruritus", "pruritus", "dermatologic"),
    _t("itching", "pruritus", "dermatologic"),
]
# Stop toxicities used only outside the prior_icb cohort (the paper lists what it saw there).
OTHER_STOP_TOXICITY_TERMS: list[AeTerm] = [
    _t("Oliguria", "oliguria", "renal"),
    _t("acute kidney injury", "acute kidney injury", "renal"),
    _t("Atrial fibrillation", "atrial fibrillation", "cardiovascular"),
    _t("a-fib w/ RVR", "atrial fibrillation", "cardiovascular"),
]
# Other adverse events (not stopping treatment).
OTHER_AE_TERMS: list[AeTerm] = [
    _t("Fever", "fever", "constitutional"),
    _t("Nausea", "nausea", "gastrointestinal"),
    _t("Vomiting", "vomiting", "gastrointestinal"),
    _t("Fatigue", "fatigue", "constitutional"),
    _t("Rash", "rash", "dermatologic"),
    _t("Edema", "edema", "vascular"),
    _t("Weight gain", "weight gain", "vascular"),
    _t("Elevated creatinine", "creatinine increased", "renal"),
    _t("elevated LFTs", "liver function tests increased", "hepatic"),
    _t("Hypothyroidism", "hypothyroidism", "endocrine", True),
    _t("Colitis", "colitis", "gastrointestinal", True),
]
PNEUMONITIS = _t("Pneumonitis", "pneumonitis", "respiratory", True)
UNMAPPABLE_AE_TERMS: list[AeTerm] = [_t("felt unwell, see note", "UNMAPPED", "UNMAPPED")]

ALL_AE_TERMS: list[AeTerm] = [
    *STOP_TOXICITY_TERMS,
    *OTHER_STOP_TOXICITY_TERMS,
    *OTHER_AE_TERMS,
    PNEUMONITIS,
    *UNMAPPABLE_AE_TERMS,
]
AE_TERM_BY_VERBATIM: dict[str, AeTerm] = {t.verbatim: t for t in ALL_AE_TERMS}
