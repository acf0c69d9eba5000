"""Random patients, vectorised: patient attributes and longitudinal records for any number.

Every patient gets a timeline measured in days from day 1 (the first HD IL-2 dose): cycles
and doses, tumour assessments up to progression, progression recorded by an assessment, a
follow-up contact or a new therapy, death, follow-up contacts, prior and subsequent
therapies. Arrays are dense (patients x slots) and masked, so there is no Python loop per
patient or per row. The paper profile uses this for the IL-2-alone cohort (calibrated by
`calibration.py`) and hand-designs the 57 prior-ICB patients (`paper_cohort.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from il2_registry.generator import vocabulary as voc
from il2_registry.generator.tables import FULL, MISSING, MONTH_ONLY, YEAR_ONLY, ClinicalTables, day_number

BOR_CODES = np.array(["CR", "PR", "SD", "PD", "EARLY_DEATH"])
NEVER = 10**7  # a latent time that never happens
MAX_ASSESSMENTS = 32  # 8 at ~12 weeks, then ~4-monthly: about 10 years
MAX_CONTACTS = 56  # ~3-monthly: 14 years
MAX_CYCLES = 6


@dataclass(frozen=True)
class GroupParams:
    """How one disease x cohort group behaves; the two scales are what calibration tunes."""

    bor_probs: tuple[float, float, float, float, float]  # CR, PR, SD, PD, early death
    pfs_scale: float  # stretches time to progression (after the first assessment)
    os_scale: float  # stretches survival after progression
    day1_first: str
    day1_last: str
    first_assessment_scale: float = 1.0  # stretches the time to the first assessment


def _pick(rng: np.random.Generator, options: list, probs: list[float], size: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _uniform_int(rng: np.random.Generator, low, high, size) -> np.ndarray:
    """Integers in [low, high] inclusive (low/high may be arrays)."""
    return np.floor(rng.uniform(low, np.asarray(high) + 1, size)).astype(np.int64)


@dataclass
class Timeline:
    """Per-patient latent times in days from day 1 (NEVER when it does not happen)."""

    day1: np.ndarray
    bor: np.ndarray
    assessment_days: np.ndarray  # (n, MAX_ASSESSMENTS) scheduled
    progression: np.ndarray  # latent progression day
    progression_mode: np.ndarray  # 0 assessment, 1 follow-up progression_date, 2 new therapy
    death: np.ndarray
    lost: np.ndarray  # lost to follow-up from this day (NEVER if not)


def sample_timeline(
    rng: np.random.Generator, n: int, params: GroupParams, *, draws: dict[str, np.ndarray] | None = None
) -> Timeline:
    """Latent timeline; `draws` (the raw random numbers) lets calibration reuse the same draws."""
    d = draws if draws is not None else draw_timeline_randoms(rng, n, params)
    day1 = d["day1"]
    a1 = 35 + np.round(params.first_assessment_scale * d["a1_gamma"]).astype(np.int64)
    intervals = d["intervals"]
    assessment_days = a1[:, None] + np.concatenate(
        [np.zeros((n, 1), dtype=np.int64), np.cumsum(intervals, axis=1)[:, :-1]], axis=1
    )
    bor = d["bor"]
    # Responders reach their response at the second assessment at the earliest.
    base = np.where((bor == "PR") | (bor == "CR"), assessment_days[:, 1], assessment_days[:, 0])
    progression = base + 1 + np.round(params.pfs_scale * d["prog_exp"]).astype(np.int64)
    progression = np.where(d["never_progress"], NEVER, progression)
    progression = np.where(bor == "PD", assessment_days[:, 0], progression)
    mode = np.where(bor == "PD", 0, d["mode"])
    first_pd_assessment = _first_at_or_after(assessment_days, progression)
    event = np.where(mode == 0, first_pd_assessment, progression)
    death = np.minimum(event, NEVER) + 1 + np.round(params.os_scale * d["post_exp"]).astype(np.int64)
    death = np.where(event >= NEVER, NEVER, death)
    death = np.where(bor == "EARLY_DEATH", d["early_death"], death)
    lost = np.where(d["is_lost"], a1 + np.round(d["lost_frac"] * 2500).astype(np.int64), NEVER)
    return Timeline(day1, bor, assessment_days, progression, mode, death, lost)


def draw_timeline_randoms(rng: np.random.Generator, n: int, params: GroupParams) -> dict[str, np.ndarray]:
    bor = _pick(rng, list(BOR_CODES), list(params.bor_probs), n).astype(str)
    intervals = np.where(
        np.arange(MAX_ASSESSMENTS)[None, :] < 8,
        _uniform_int(rng, 74, 94, (n, MAX_ASSESSMENTS)),
        _uniform_int(rng, 105, 135, (n, MAX_ASSESSMENTS)),
    )
    prog_mean = np.select([bor == "SD", bor == "PR", bor == "CR"], [220.0, 420.0, 900.0], 200.0)
    post_mean = np.select(
        [bor == "PD", bor == "SD", bor == "PR", bor == "CR"], [260.0, 420.0, 700.0, 1500.0], 300.0
    )
    return {
        "day1": _uniform_int(rng, day_number(params.day1_first), day_number(params.day1_last), n),
        "bor": bor,
        "a1_gamma": rng.gamma(4.0, 7.0, n),
        "intervals": intervals,
        "prog_exp": rng.exponential(1.0, n) * prog_mean,
        "never_progress": (bor == "CR") & (rng.uniform(size=n) < 0.55)
        | (bor == "PR") & (rng.uniform(size=n) < 0.2),
        "mode": _pick(rng, [0, 1, 2], [0.8, 0.12, 0.08], n).astype(np.int64),
        "post_exp": rng.exponential(1.0, n) * post_mean,
        "early_death": _uniform_int(rng, 6, 30, n),
        "is_lost": rng.uniform(size=n) < 0.06,
        "lost_frac": rng.uniform(size=n),
    }


def _first_at_or_after(days: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Per row, the first scheduled day >= when (NEVER if none)."""
    ok = days >= when[:, None]
    idx = ok.argmax(axis=1)
    found = ok[np.arange(len(when)), idx]
    return np.where(found & (when < NEVER), days[np.arange(len(when)), idx], NEVER)


def _flatten(mask: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
    """Rows where mask is true, row-major (patient by patient, slot by slot)."""
    out = {}
    for name, values in columns.items():
        arr = np.asarray(values)
        if arr.ndim == 1:
            arr = np.broadcast_to(arr[:, None], mask.shape)
        out[name] = arr[mask]
    return pd.DataFrame(out)


def expand_records(
    rng: np.random.Generator,
    patient_ids: np.ndarray,
    site_ids: np.ndarray,
    disease: np.ndarray,
    cohort: np.ndarray,
    tl: Timeline,
    cutoff_day: int,
    treatment_cutoff_day: int | None = None,
) -> ClinicalTables:
    """All records of these patients from their timelines, observed up to the cut-off + 200 days.

    Treatment (cycles given before `treatment_cutoff_day`, default the cut-off) decides how many
    random draws follow; a later data lock of the same patients passes the first lock's day here
    and its own cut-off as `cutoff_day`, so every draw, and every record before the first lock's
    window ends, is the same (docs/generator.md, data locks).
    """
    n = len(patient_ids)
    cutoff_off = cutoff_day - tl.day1
    treatment_cutoff_off = (cutoff_day if treatment_cutoff_day is None else treatment_cutoff_day) - tl.day1
    observe_until = np.minimum.reduce([tl.death, tl.lost, cutoff_off + 200])

    # --- tumour assessments
    a = tl.assessment_days
    k = np.arange(MAX_ASSESSMENTS)[None, :]
    pd_mask_mode0 = (tl.progression_mode == 0)[:, None] & (a >= tl.progression[:, None])
    first_pd_k = np.where(pd_mask_mode0.any(axis=1), pd_mask_mode0.argmax(axis=1), MAX_ASSESSMENTS)
    keep = (a < observe_until[:, None]) & (k <= first_pd_k[:, None])
    keep &= ~(((tl.progression_mode != 0)[:, None]) & (a >= tl.progression[:, None]))
    resp = np.full(a.shape, "SD", dtype=object)
    u = rng.uniform(size=a.shape)
    is_pr = (tl.bor == "PR")[:, None]
    is_cr = (tl.bor == "CR")[:, None]
    resp = np.where(is_pr & ((k >= 1) | (u < 0.35)), "PR", resp)
    resp = np.where(is_cr & (k == 0) & (u < 0.5), "PR", resp)
    resp = np.where(is_cr & (k == 1), np.where(u < 0.5, "CR", "PR"), resp)
    resp = np.where(is_cr & (k >= 2), "CR", resp)
    resp = np.where((tl.bor == "SD")[:, None] & (k >= 1) & (u < 0.04), "NE", resp)
    resp = np.where(k == first_pd_k[:, None], "PD", resp)
    method = _pick(rng, ["CT", "MRI", "PET_CT", "CLINICAL"], [0.75, 0.1, 0.1, 0.05], a.size).reshape(a.shape)
    new_les = np.where(
        resp == "PD", _pick(rng, ["Y", "N", ""], [0.6, 0.2, 0.2], a.size).reshape(a.shape), "N"
    )
    new_les = np.where((resp != "PD") & (u < 0.2), "", new_les)
    assessments = _flatten(
        keep,
        patient_id=patient_ids,
        date=tl.day1[:, None] + a,
        response=resp,
        method=method,
        new_lesions=new_les,
    )

    # --- progression event day and subsequent therapy
    event = np.where(tl.progression_mode == 0, _first_at_or_after(a, tl.progression), tl.progression)
    progressed = (event < observe_until) & (event < NEVER)
    has_next = progressed & ((tl.progression_mode == 2) | (rng.uniform(size=n) < 0.55))
    next_start = np.where(tl.progression_mode == 2, tl.progression, event + _uniform_int(rng, 10, 60, n))
    has_next &= next_start < np.minimum(tl.death, tl.lost)
    next_day = tl.day1 + next_start
    texts = _subsequent_texts(rng, disease, next_day)
    prec = np.where(
        (tl.progression_mode != 2) & (rng.uniform(size=n) < 0.12),
        np.where(rng.uniform(size=n) < 0.8, MONTH_ONLY, YEAR_ONLY),
        FULL,
    )
    # A partial date must not move the new therapy before the progression it follows.
    prec = np.where(next_start - event < 200, FULL, prec)
    subsequent = pd.DataFrame(
        {"patient_id": patient_ids, "regimen_text": texts, "start": next_day, "start_prec": prec}
    )[has_next].reset_index(drop=True)

    # --- follow-up contacts
    c = np.arange(MAX_CONTACTS)[None, :]
    contact_off = 30 + c * 91 + _uniform_int(rng, -20, 20, (n, MAX_CONTACTS))
    keep_c = contact_off < observe_until[:, None]
    regular = _flatten(keep_c, patient_id=patient_ids, off=contact_off, day1=tl.day1)
    regular["vital_status"] = "ALIVE"
    regular["death_off"] = MISSING
    regular["prog_off"] = MISSING
    dies = (tl.death <= tl.lost) & (tl.death < cutoff_off + 200)
    dead = pd.DataFrame(
        {
            "patient_id": patient_ids,
            "off": tl.death + _uniform_int(rng, 0, 20, n),
            "day1": tl.day1,
            "vital_status": "DEAD",
            "death_off": tl.death,
            "prog_off": MISSING,
        }
    )[dies]
    lost_rows = pd.DataFrame(
        {
            "patient_id": patient_ids,
            "off": tl.lost + 30,
            "day1": tl.day1,
            "vital_status": "LOST",
            "death_off": MISSING,
            "prog_off": MISSING,
        }
    )[(tl.lost < tl.death) & (tl.lost + 30 < cutoff_off + 200)]
    via_contact = progressed & (tl.progression_mode == 1)
    prog_rows = pd.DataFrame(
        {
            "patient_id": patient_ids,
            "off": tl.progression + _uniform_int(rng, 0, 10, n),
            "day1": tl.day1,
            "vital_status": "ALIVE",
            "death_off": MISSING,
            "prog_off": tl.progression,
        }
    )[via_contact & (tl.progression + 10 < tl.death)]
    fu = pd.concat([regular, dead, lost_rows, prog_rows], ignore_index=True)
    fu = fu.sort_values(["patient_id", "off"], kind="stable").reset_index(drop=True)
    follow_up = pd.DataFrame(
        {
            "patient_id": fu["patient_id"].to_numpy(),
            "contact_date": (fu["day1"] + fu["off"]).to_numpy(),
            "vital_status": fu["vital_status"].to_numpy(),
            "death_date": np.where(fu["death_off"] >= 0, fu["day1"] + fu["death_off"], MISSING),
            "progression_date": np.where(fu["prog_off"] >= 0, fu["day1"] + fu["prog_off"], MISSING),
        }
    )

    cycles, doses, adverse = _treatment(rng, patient_ids, cohort, tl, event, treatment_cutoff_off)
    patients = _patients(rng, patient_ids, site_ids, disease, cohort, tl.day1, cutoff_day, cycles)
    baseline = _baseline(rng, patient_ids, disease, tl.day1)
    prior = _prior_lines(rng, patient_ids, disease, cohort, tl.day1)
    return ClinicalTables(
        patients, baseline, prior, cycles, doses, adverse, assessments, subsequent, follow_up
    )


def _subsequent_texts(rng: np.random.Generator, disease: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    n = len(disease)
    pd1_era_mm = start_day >= day_number("2014-09-04")
    pd1_era_rcc = start_day >= day_number("2015-11-23")
    mm_new = _pick(
        rng, ["Keytruda", "Nivolumab", "pembro", "nivo + ipi", "Dabrafenib/Trametinib"], [3, 3, 2, 1, 1], n
    )
    mm_old = _pick(
        rng, ["Ipilimumab", "Yervoy", "Dacarbazine", "Temozolomide", "Vemurafenib"], [3, 1, 2, 1, 1], n
    )
    rcc_new = _pick(rng, ["Nivolumab", "OPDIVO 240 mg q2w", "Cabozantinib", "Axitinib"], [3, 2, 1, 1], n)
    rcc_old = _pick(
        rng, ["Sunitinib", "Sutent 50mg", "Pazopanib", "Everolimus", "Axitinib"], [3, 1, 2, 1, 1], n
    )
    mm = np.where(pd1_era_mm, mm_new, mm_old)
    rcc = np.where(pd1_era_rcc, rcc_new, rcc_old)
    out = np.where(disease == "MELANOMA", mm, rcc)
    unmappable = rng.uniform(size=n) < 0.01
    return np.where(unmappable, _pick(rng, _UNMAPPABLE, [1.0] * len(_UNMAPPABLE), n), out)


STOP_TOX_IL2_ALONE = [t.verbatim for t in voc.STOP_TOXICITY_TERMS + voc.OTHER_STOP_TOXICITY_TERMS]


def _stop_tox_weights() -> list[float]:
    weights = []
    for t in voc.STOP_TOXICITY_TERMS + voc.OTHER_STOP_TOXICITY_TERMS:
        weights.append(6.0 if t.preferred_term == "hypotension" else 1.0)
    return weights


def _treatment(
    rng: np.random.Generator,
    patient_ids: np.ndarray,
    cohort: np.ndarray,
    tl: Timeline,
    event: np.ndarray,
    cutoff_off: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = len(patient_ids)
    bor = tl.bor
    n_cyc = np.select(
        [bor == "PD", bor == "SD", (bor == "PR") | (bor == "CR")],
        [
            _pick(rng, [1, 2, 3, 4], [35, 55, 5, 5], n),
            _pick(rng, [1, 2, 3, 4, 5, 6], [10, 35, 10, 30, 5, 10], n),
            _pick(rng, [2, 3, 4, 5, 6], [20, 10, 45, 10, 15], n),
        ],
        1,
    ).astype(np.int64)
    n_cyc = np.where(rng.uniform(size=n) < 0.06, 0, n_cyc)  # cycle data not available
    j = np.arange(MAX_CYCLES)[None, :]
    course = j // 2 + 1
    cic = j % 2 + 1
    # Course c >= 2 starts 1-3 weeks after assessment c-1; cycle 2 about 9 days after cycle 1 ends.
    prev_assess = np.take_along_axis(tl.assessment_days, np.clip(course - 2, 0, None).repeat(n, 0), axis=1)
    course_start = np.where(course == 1, 0, prev_assess + _uniform_int(rng, 7, 21, (n, MAX_CYCLES)))
    course_start = np.repeat(course_start[:, ::2], 2, axis=1)
    admission_off = course_start + np.where(cic == 2, _uniform_int(rng, 13, 16, (n, MAX_CYCLES)), 0)
    limit = np.minimum.reduce([event, tl.death - 1, tl.lost, cutoff_off - 5])
    keep = (j < n_cyc[:, None]) & ((j == 0) | (admission_off < limit[:, None] - 5))
    keep &= (j == 0) | np.cumprod(keep, axis=1).astype(bool)
    planned = _pick(rng, [14, 15, 12], [0.9, 0.05, 0.05], keep.size).reshape(keep.shape).astype(np.int64)
    given = np.clip(np.round(rng.normal(8.3, 2.6, keep.shape)), 1, planned).astype(np.int64)
    # An early death during the first cycle: the doses stop before it.
    level = np.where(rng.uniform(size=n) < 0.7, 600000, 720000)
    first_minute = _uniform_int(rng, 8 * 60, 18 * 60, keep.shape)
    cycles = _flatten(
        keep,
        patient_id=patient_ids,
        course_number=np.broadcast_to(course, keep.shape),
        cycle_in_course=np.broadcast_to(cic, keep.shape),
        day1=tl.day1,
        admission_off=admission_off,
        dose_level=level,
        doses_planned=planned,
        doses_given=given,
        first_minute=first_minute,
    )
    cycles["admission"] = cycles["day1"] + cycles["admission_off"]
    m = len(cycles)
    gaps = np.where(rng.uniform(size=(m, 15)) < 0.1, 960, 480) + _uniform_int(rng, -25, 25, (m, 15))
    gaps[:, 0] = 0
    dose_minutes = cycles["admission"].to_numpy()[:, None] * 1440 + cycles["first_minute"].to_numpy()[:, None]
    dose_minutes = dose_minutes + np.cumsum(gaps, axis=1)
    dn = np.arange(1, 16)[None, :]
    dose_keep = dn <= cycles["doses_given"].to_numpy()[:, None]
    doses = _flatten(
        dose_keep,
        patient_id=cycles["patient_id"].to_numpy(),
        course_number=cycles["course_number"].to_numpy(),
        cycle_in_course=cycles["cycle_in_course"].to_numpy(),
        dose_number=np.broadcast_to(dn, dose_keep.shape),
        admin_minute=dose_minutes,
        dose_iu=cycles["dose_level"].to_numpy(),
    )
    last_minute = dose_minutes[np.arange(m), cycles["doses_given"].to_numpy() - 1]
    cycles["last_dose_day"] = last_minute // 1440
    cycles["discharge"] = cycles["last_dose_day"] + _uniform_int(rng, 0, 2, m)
    completed = cycles["doses_given"] >= cycles["doses_planned"]
    reason = _pick(rng, ["TOXICITY", "PATIENT_DECISION", "OTHER"], [0.8, 0.1, 0.1], m)
    cycles["stop_reason"] = np.where(completed, "COMPLETED", reason)
    tox_count = np.where(cycles["stop_reason"] == "TOXICITY", _pick(rng, [1, 2, 3], [0.5, 0.35, 0.15], m), 0)
    weights = _stop_tox_weights()
    for i in (1, 2, 3):
        picked = _pick(rng, STOP_TOX_IL2_ALONE, weights, m)
        cycles[f"tox{i}"] = np.where(tox_count >= i, picked, "")
    # A few later cycles whose il2_cycles row is missing (their doses still count for day 1).
    cycles["has_cycle_row"] = ~((cycles["course_number"] > 1) & (rng.uniform(size=m) < 0.004))
    cycles = cycles.drop(columns=["day1", "admission_off"])

    adverse = _adverse_events(rng, cycles, cohort_of=dict(zip(patient_ids, cohort, strict=True)))
    return cycles, doses, adverse


def _adverse_events(rng: np.random.Generator, cycles: pd.DataFrame, cohort_of: dict) -> pd.DataFrame:
    """One AE per stop toxicity (onset on the last dose day) plus a few others per patient."""
    parts = []
    for i in (1, 2, 3):
        sel = cycles[cycles[f"tox{i}"] != ""]
        parts.append(
            pd.DataFrame(
                {
                    "patient_id": sel["patient_id"].to_numpy(),
                    "ae_term": sel[f"tox{i}"].to_numpy(),
                    "onset": sel["last_dose_day"].to_numpy(),
                    "grade": _pick(rng, [2, 3, 4], [0.3, 0.55, 0.15], len(sel)).astype(np.int64),
                    "serious": "Y",
                }
            )
        )
    first = cycles[(cycles["course_number"] == 1) & (cycles["cycle_in_course"] == 1)]
    n_other = _pick(rng, [0, 1, 2, 3], [0.3, 0.35, 0.25, 0.1], len(first)).astype(np.int64)
    rep = np.repeat(np.arange(len(first)), n_other)
    other_terms = [t.verbatim for t in voc.OTHER_AE_TERMS if not t.is_immune_related_term]
    other_terms += [t.verbatim for t in voc.UNMAPPABLE_AE_TERMS]
    weights = [1.0] * (len(other_terms) - len(voc.UNMAPPABLE_AE_TERMS)) + [0.02] * len(
        voc.UNMAPPABLE_AE_TERMS
    )
    parts.append(
        pd.DataFrame(
            {
                "patient_id": first["patient_id"].to_numpy()[rep],
                "ae_term": _pick(rng, other_terms, weights, len(rep)),
                "onset": first["admission"].to_numpy()[rep] + _uniform_int(rng, 0, 4, len(rep)),
                "grade": _pick(rng, [1, 2, 3], [0.5, 0.4, 0.1], len(rep)).astype(np.int64),
                "serious": "N",
            }
        )
    )
    ae = pd.concat(parts, ignore_index=True).sort_values(["patient_id", "onset"], kind="stable")
    ae = ae.reset_index(drop=True)
    m = len(ae)
    ae["ae_seq"] = ae.groupby("patient_id").cumcount() + 1
    ae["resolution"] = np.where(rng.uniform(size=m) < 0.9, ae["onset"] + _uniform_int(rng, 1, 20, m), MISSING)
    ae["related"] = _pick(rng, ["RELATED", "NOT_RELATED", "UNKNOWN"], [0.85, 0.1, 0.05], m)
    ae["immune_related"] = _pick(rng, ["N", ""], [0.6, 0.4], m)
    ae["steroids"] = _pick(rng, ["N", "Y", ""], [0.8, 0.05, 0.15], m)
    # Rare immune-related events (thyroiditis, colitis) in IL-2-alone patients only: the paper
    # reports none after prior checkpoint blockade.
    immune_terms = [t.verbatim for t in voc.OTHER_AE_TERMS if t.is_immune_related_term]
    alone = ae["patient_id"].map(cohort_of).to_numpy() == "il2_alone"
    immune = alone & (ae["serious"].to_numpy() == "N") & (rng.uniform(size=m) < 0.02)
    ae["ae_term"] = np.where(immune, _pick(rng, immune_terms, [1.0] * len(immune_terms), m), ae["ae_term"])
    ae["immune_related"] = np.where(immune, "Y", ae["immune_related"])
    ae["steroids"] = np.where(immune & (ae["ae_term"] == "Colitis"), "Y", ae["steroids"])
    return ae[
        [
            "patient_id",
            "ae_seq",
            "ae_term",
            "onset",
            "resolution",
            "grade",
            "serious",
            "related",
            "immune_related",
            "steroids",
        ]
    ]


_LETTERS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _patients(
    rng: np.random.Generator,
    patient_ids: np.ndarray,
    site_ids: np.ndarray,
    disease: np.ndarray,
    cohort: np.ndarray,
    day1: np.ndarray,
    cutoff_day: int,
    cycles: pd.DataFrame,
) -> pd.DataFrame:
    n = len(patient_ids)
    age_years = np.clip(rng.normal(np.where(disease == "RCC", 57, 53), 11, n), 19, 93)
    birth = day1 - np.round(age_years * 365.25).astype(np.int64)
    met_months = np.where(disease == "RCC", rng.gamma(1.2, 26, n), rng.gamma(1.3, 17, n))
    met = day1 - np.round(np.clip(met_months, 0.2, 200) * 30.4375).astype(np.int64)
    synchronous = (disease == "RCC") & (rng.uniform(size=n) < 0.3)
    prim = np.where(synchronous, met, met - _uniform_int(rng, 60, 3000, n))
    u = rng.uniform(size=n)
    prim_prec = np.where(u < 0.2, MONTH_ONLY, np.where(u < 0.27, YEAR_ONLY, FULL))
    # Month-only only when the imputed 15th cannot fall on or after day 1.
    met_prec = np.where((rng.uniform(size=n) < 0.08) & (day1 - met > 45), MONTH_ONLY, FULL)
    has_cycles = pd.Series(patient_ids).isin(cycles["patient_id"]).to_numpy()
    enrol_shift = np.where(
        has_cycles & (rng.uniform(size=n) < 0.02), _pick(rng, [-2, -1, 1, 3, 7], [1] * 5, n), 0
    )
    sex = _pick(rng, ["M", "F", "MALE", "FEMALE", "U"], [0.6, 0.33, 0.04, 0.025, 0.005], n)
    race = _pick(rng, ["WHITE", "BLACK", "ASIAN", "OTHER", "UNKNOWN"], [0.86, 0.05, 0.03, 0.02, 0.04], n)
    edited_days = np.minimum(day1 + _uniform_int(rng, 20, 1500, n), cutoff_day)
    initials = np.char.add(
        np.char.add(_LETTERS[rng.integers(0, 26, n)], _LETTERS[rng.integers(0, 26, n)]),
        np.where(rng.uniform(size=n) < 0.3, _LETTERS[rng.integers(0, 26, n)], ""),
    )
    return pd.DataFrame(
        {
            "patient_id": patient_ids,
            "site_id": site_ids,
            "disease": disease,
            "cohort": cohort,
            "mrn": np.char.add("MRN", rng.integers(1_000_000, 9_999_999, n).astype(str)),
            "initials": initials,
            "birth_date": birth,
            "sex": sex,
            "race": race,
            "consent_date": day1 - _uniform_int(rng, 3, 30, n),
            "primary_dx": prim,
            "primary_dx_prec": prim_prec,
            "metastatic_dx": met,
            "metastatic_dx_prec": met_prec,
            "il2_start_date": day1 + enrol_shift,
            "last_modified": edited_days * 1440 + _uniform_int(rng, 7 * 60, 19 * 60, n),
            "day1": day1,
        }
    )


def _baseline(
    rng: np.random.Generator, patient_ids: np.ndarray, disease: np.ndarray, day1: np.ndarray
) -> pd.DataFrame:
    n = len(patient_ids)
    mel = disease == "MELANOMA"
    tested = mel & (rng.uniform(size=n) < 0.35)

    def status(p_mutant: float) -> np.ndarray:
        mutant = rng.uniform(size=n) < p_mutant
        return np.where(~mel, "", np.where(tested, np.where(mutant, "MUTANT", "WILD_TYPE"), "NOT_TESTED"))

    uln = _pick(rng, [190.0, 222.0, 246.0, 280.0], [1, 1, 1, 1], n).astype(float)
    return pd.DataFrame(
        {
            "patient_id": patient_ids,
            "assessment_date": day1 - _uniform_int(rng, 1, 28, n),
            "ecog": _pick(rng, [0, 1, 2], [0.62, 0.35, 0.03], n).astype(float),
            "weight_kg": np.round(np.clip(rng.normal(86, 18, n), 42, 190), 1),
            "n_metastatic_sites": np.clip(rng.poisson(2.6, n), 0, 12).astype(float),
            "ldh_value": np.round(np.clip(rng.lognormal(np.log(240), 0.45, n), 90, 4000)).astype(float),
            "ldh_uln": uln,
            "braf_status": status(0.45),
            "nras_status": status(0.2),
            "ckit_status": status(0.03),
            "brain_metastases": np.where(rng.uniform(size=n) < 0.08, "Y", "N"),
            "imdc_risk": np.where(
                mel, "", _pick(rng, ["FAVORABLE", "INTERMEDIATE", "POOR"], [0.3, 0.6, 0.1], n)
            ),
            "m_stage": np.where(mel, _pick(rng, ["M1A", "M1B", "M1C", "M1D"], [0.2, 0.25, 0.5, 0.05], n), ""),
        }
    )


_MM_PRIOR = [
    "Interferon",
    "IFN-alpha adjuvant",
    "Ipilimumab",
    "Yervoy",
    "ipi 3mg/kg",
    "Dabrafenib/Trametinib",
    "Tafinlar + Mekinist",
    "Vemurafenib",
    "vemurafenib/cobimetinib",
    "Dacarbazine",
    "DTIC",
    "Temozolomide",
    "carboplatin/paclitaxel",
    "T-VEC",
]
_MM_PRIOR_WEIGHTS = [3, 1, 2, 1, 0.5, 2, 0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1]
_RCC_PRIOR = [
    "Sunitinib",
    "Sutent 50mg",
    "Pazopanib",
    "Votrient",
    "Axitinib",
    "Inlyta",
    "Everolimus",
    "Afinitor",
    "Temsirolimus",
    "Interferon",
    "Bevacizumab",
    "Sorafenib",
]
_RCC_PRIOR_WEIGHTS = [4, 1, 3, 1, 1.5, 0.5, 1, 0.5, 0.5, 1, 1, 1]


def _agent_texts(*groups: list) -> list[str]:
    return [r.text for group in groups for r in group]


# Prior PD-1/PD-L1 regimens of sampled prior-ICB patients: every way of writing each agent.
_MM_ICB = _agent_texts(
    voc.NIVOLUMAB_TEXTS,
    [voc.QUOTED_NIVOLUMAB],
    voc.PEMBROLIZUMAB_TEXTS,
    voc.NIVO_IPI_TEXTS,
    voc.PD1_NOT_RECORDED_TEXTS,
)
_RCC_ICB = _agent_texts(
    voc.NIVOLUMAB_TEXTS, voc.PEMBROLIZUMAB_TEXTS, voc.ATEZOLIZUMAB_TEXTS, voc.PD1_NOT_RECORDED_TEXTS
)
_UNMAPPABLE = [r.text for r in voc.UNMAPPABLE_TEXTS]


def _prior_lines(
    rng: np.random.Generator,
    patient_ids: np.ndarray,
    disease: np.ndarray,
    cohort: np.ndarray,
    day1: np.ndarray,
) -> pd.DataFrame:
    """Prior regimens ending before day 1; prior_icb patients get a PD-1/PD-L1 line last."""
    n = len(patient_ids)
    mel = disease == "MELANOMA"
    icb = cohort == "prior_icb"
    n_other = np.where(
        mel, _pick(rng, [0, 1, 2, 3], [45, 35, 15, 5], n), _pick(rng, [0, 1, 2, 3], [40, 40, 15, 5], n)
    )
    n_other = n_other.astype(np.int64)
    n_lines = n_other + icb
    slots = 4
    s = np.arange(slots)[None, :]
    keep = s < n_lines[:, None]
    # Slot 0 is the latest line (just before IL-2); lines go back in time.
    gap_before_il2 = _uniform_int(rng, 10, 200, n)
    durations = _uniform_int(rng, 42, 330, (n, slots))
    gaps = _uniform_int(rng, 14, 120, (n, slots))
    end_off = gap_before_il2[:, None] + np.concatenate(
        [np.zeros((n, 1), dtype=np.int64), np.cumsum(durations + gaps, axis=1)[:, :-1]], axis=1
    )
    start_off = end_off + durations
    other_text = np.where(
        mel[:, None],
        _pick(rng, _MM_PRIOR, _MM_PRIOR_WEIGHTS, n * slots).reshape(n, slots),
        _pick(rng, _RCC_PRIOR, _RCC_PRIOR_WEIGHTS, n * slots).reshape(n, slots),
    )
    icb_text = np.where(
        mel, _pick(rng, _MM_ICB, [1.0] * len(_MM_ICB), n), _pick(rng, _RCC_ICB, [1.0] * len(_RCC_ICB), n)
    )
    unmappable = rng.uniform(size=(n, slots)) < 0.01
    text = np.where(
        unmappable, _pick(rng, _UNMAPPABLE, [1.0] * len(_UNMAPPABLE), n * slots).reshape(n, slots), other_text
    )
    text = np.where(icb[:, None] & (s == 0), icb_text[:, None], text)
    u = rng.uniform(size=(n, slots))
    start_prec = np.where(
        (s > 0) | ~icb[:, None], np.where(u < 0.12, MONTH_ONLY, np.where(u < 0.15, YEAR_ONLY, FULL)), FULL
    )
    # A year-only start may be imputed after day 1: keep those lines well in the past.
    start_prec = np.where((start_prec == YEAR_ONLY) & (start_off < 400), FULL, start_prec)
    end_known = rng.uniform(size=(n, slots)) < 0.85
    frame = _flatten(
        keep,
        patient_id=patient_ids,
        slot=np.broadcast_to(s, keep.shape),
        regimen_text=text,
        start_off=start_off,
        end_off=end_off,
        start_prec=start_prec,
        end_known=end_known | (icb[:, None] & (s == 0)),
        day1=day1,
        n_lines=n_lines,
        best_response=_pick(rng, ["PD", "SD", "PR", "CR", ""], [40, 20, 10, 3, 27], keep.size).reshape(
            keep.shape
        ),
        reason_stopped=_pick(
            rng, ["PROGRESSION", "TOXICITY", "COMPLETED", "OTHER", ""], [55, 15, 15, 5, 10], keep.size
        ).reshape(keep.shape),
        irae_reported=_pick(rng, ["Y", "N", ""], [10, 40, 50], keep.size).reshape(keep.shape),
    )
    frame["line_number"] = frame["n_lines"] - frame["slot"]
    frame["start"] = frame["day1"] - frame["start_off"]
    frame["end"] = np.where(frame["end_known"], frame["day1"] - frame["end_off"], MISSING)
    frame["end_prec"] = FULL
    frame = frame.sort_values(["patient_id", "line_number"], kind="stable").reset_index(drop=True)
    return frame[
        [
            "patient_id",
            "line_number",
            "regimen_text",
            "start",
            "start_prec",
            "end",
            "end_prec",
            "best_response",
            "reason_stopped",
            "irae_reported",
        ]
    ]
