"""Records of the designed prior-ICB patients (`prior_icb_design.py`) for the paper profile.

Fitted values (LDH, months from metastatic diagnosis, months on PD-1, months from PD-1 end,
doses per cycle, HD IL-2 treatment duration) hit the published mean, minimum and maximum;
everything else is drawn at random around the design.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from il2_registry.generator import vocabulary as voc
from il2_registry.generator.calibration import DAYS_PER_MONTH, fit_counts, fit_integers, months_to_days
from il2_registry.generator.prior_icb_design import MELANOMA, MELANOMA_AGENTS, RCC, RCC_AGENTS, Outcome
from il2_registry.generator.tables import FULL, MISSING, MONTH_ONLY, ClinicalTables

# Published per-disease targets: (mean, min, max) in months unless stated.
TARGETS = {
    "MELANOMA": {
        "met_dx": (22.4, 0.8, 55.8),
        "on_pd1": (5.4, 1.5, 27.5),
        "pd1_end": (6.3, 0.3, 28.1),
        "treatment": (2.1, 0.1, 7.3),
        "doses": (8.1, 2.4),
        "ldh": (336.5, 117, 904),
    },
    "RCC": {
        "met_dx": (31.8, 0.2, 156.0),
        "on_pd1": (9.3, 0.7, 31.2),
        "pd1_end": (2.1, 0.4, 7.4),
        "treatment": (1.8, 0.1, 6.1),
        "doses": (8.0, 3.0),
    },
}
# Stop toxicities among prior-ICB patients: exactly the paper's list, hypotension the most common.
STOP_TOX_PLAN = {
    "hypotension": ["Hypotension", "low BP", "hypotensive, on pressors"],
    "tachycardia": ["Tachycardia", "sinus tach"],
    "diarrhea": ["Diarrhea", "diarrhoea"],
    "hypoxia": ["Hypoxia", "SOB/hypoxia"],
    "thrombocytopenia": ["Thrombocytopenia", "low platelets"],
    "rigors": ["Rigors"],
    "capillary leak syndrome": ["Capillary leak", "Capillary leak syndrome", "CLS"],
    "confusion": ["Confusion", "confused/disoriented"],
    "mental fatigue": ["Mental fatigue"],
    "pruritus": ["Pruritus", "itching"],
}


def _fit_days(rng: np.random.Generator, n: int, target: tuple[float, float, float]) -> np.ndarray:
    mean, low, high = target
    return fit_integers(
        rng,
        n,
        mean=mean * DAYS_PER_MONTH,
        low=months_to_days(low),
        high=months_to_days(high),
    )


def _dose_minutes(rng: np.random.Generator, n_doses: int, *, holds: bool, start_minute: int) -> np.ndarray:
    gaps = 480 + rng.integers(-20, 21, n_doses)
    if holds:
        gaps = np.where(rng.uniform(size=n_doses) < 0.12, gaps + 480, gaps)
    gaps[0] = 0
    return start_minute + np.cumsum(gaps)


class _Patient:
    """Mutable record builder for one designed patient."""

    def __init__(self, pid: str, disease: str, outcome: Outcome, day1: int) -> None:
        self.pid, self.disease, self.o, self.day1 = pid, disease, outcome, day1
        self.cycles: list[dict] = []
        self.doses: list[dict] = []


def build_prior_icb(
    rng: np.random.Generator, patient_ids: np.ndarray, site_ids: np.ndarray, cutoff_day: int
) -> ClinicalTables:
    """Records of the 57 designed patients; ids: the first 40 mM, then 17 mRCC."""
    designs = [("MELANOMA", o) for o in MELANOMA] + [("RCC", o) for o in RCC]
    # Shuffle agents within disease so agent and outcome are unrelated.
    mm_agents = list(rng.permutation(MELANOMA_AGENTS))
    rcc_agents = list(rng.permutation(RCC_AGENTS))
    pneumonitis_index = next(i for i, o in enumerate(RCC) if "pneumonitis" in o.notes)
    # The pneumonitis patient had atezolizumab: swap an atezolizumab into that slot.
    j = rcc_agents.index("atezolizumab")
    rcc_agents[j], rcc_agents[pneumonitis_index] = rcc_agents[pneumonitis_index], rcc_agents[j]
    agents = mm_agents + rcc_agents

    rows: dict[str, list[dict]] = {
        k: [] for k in ("pat", "base", "prior", "cyc", "dose", "ae", "ta", "sub", "fu")
    }
    per_disease = {"MELANOMA": [], "RCC": []}
    for i, (disease, _o) in enumerate(designs):
        per_disease[disease].append(i)

    fitted: dict[int, dict] = {i: {} for i in range(len(designs))}
    for disease, idx in per_disease.items():
        t = TARGETS[disease]
        n = len(idx)
        met = np.sort(_fit_days(rng, n, t["met_dx"]))
        on = _fit_days(rng, n, t["on_pd1"])
        end = _fit_days(rng, n, t["pd1_end"])
        # Longer metastatic histories get the longer PD-1 histories (rank-matched).
        order = np.argsort(on + end)
        met_assigned = np.empty(n, dtype=np.int64)
        met_assigned[order] = met
        perm = rng.permutation(n)
        for k, i in enumerate(np.asarray(idx)[perm]):
            fitted[i]["met"] = int(met_assigned[perm[k]])
            fitted[i]["on"] = int(on[perm[k]])
            fitted[i]["end"] = int(end[perm[k]])
        if disease == "MELANOMA":
            ldh = fit_integers(rng, n, mean=t["ldh"][0], low=t["ldh"][1], high=t["ldh"][2])
            for k, i in enumerate(idx):
                fitted[i]["ldh"] = float(ldh[k])

    # Response to the last PD-1/PD-L1 regimen: mM 29 recorded, all PD; mRCC 12: 1 PR, 11 PD.
    responses = {
        "MELANOMA": list(rng.permutation(["PD"] * 29 + [""] * 11)),
        "RCC": list(rng.permutation(["PR"] + ["PD"] * 11 + [""] * 5)),
    }
    patients = []
    for i, (disease, o) in enumerate(designs):
        fu = months_to_days(o.follow_up_months)
        if o.censored_at_cutoff:
            day1 = cutoff_day - fu
        else:
            day1 = cutoff_day - fu - int(rng.integers(8, 160))
        p = _Patient(str(patient_ids[i]), disease, o, day1)
        p.pd1_response = str(responses[disease].pop())
        p.dose_level = int(rng.choice([600000, 600000, 720000]))
        patients.append(p)

    for disease, idx in per_disease.items():
        _schedule_cycles(rng, [patients[i] for i in idx], TARGETS[disease], RCC if disease == "RCC" else None)

    # Every way of writing each agent appears: texts are used in turn.
    agent_texts = {agent: itertools.cycle(texts) for agent, texts in _AGENT_TEXTS.items()}
    tox_terms = _stop_toxicity_sequence(rng, sum(len(p.cycles) for p in patients))
    tox_iter = iter(tox_terms)
    for i, p in enumerate(patients):
        f = fitted[i]
        _assessments_and_follow_up(rng, p, cutoff_day, rows)
        _cycle_rows(rng, p, tox_iter, rows)
        _patient_rows(
            rng,
            p,
            site_ids[i],
            f,
            agents[i],
            cutoff_day,
            rows,
            mutation=_mutation_plan(i),
            agent_texts=agent_texts,
        )
    # Pre-IL-2 elevated LFTs: one mM and one mRCC patient (paper, "Toxicity").
    for i in (per_disease["MELANOMA"][3], per_disease["RCC"][5]):
        p = patients[i]
        rows["ae"].append(
            _ae(p.pid, "elevated LFTs", p.day1 - 12, p.day1 - 2, 1, "N", "NOT_RELATED", "N", "N")
        )
    p = patients[per_disease["RCC"][pneumonitis_index]]
    rows["ae"].append(_ae(p.pid, "Pneumonitis", p.day1 + 6, p.day1 + 27, 3, "Y", "UNKNOWN", "", "Y"))
    return _tables(rows)


def _mutation_plan(i: int) -> tuple[str, str, str] | None:
    """mM 0-39: 4 BRAF mutant, 5 NRAS mutant, 1 cKIT mutant, 30 not reported (paper)."""
    plan = {
        2: ("MUTANT", "WILD_TYPE", "WILD_TYPE"),
        9: ("MUTANT", "WILD_TYPE", "NOT_TESTED"),
        17: ("MUTANT", "WILD_TYPE", "WILD_TYPE"),
        27: ("MUTANT", "NOT_TESTED", "NOT_TESTED"),
        5: ("WILD_TYPE", "MUTANT", "WILD_TYPE"),
        13: ("WILD_TYPE", "MUTANT", "NOT_TESTED"),
        21: ("WILD_TYPE", "MUTANT", "WILD_TYPE"),
        30: ("WILD_TYPE", "MUTANT", "WILD_TYPE"),
        35: ("NOT_TESTED", "MUTANT", "NOT_TESTED"),
        24: ("WILD_TYPE", "WILD_TYPE", "MUTANT"),
    }
    return plan.get(i)


# mM patients with prior BRAF-targeted therapy (7; the 4 BRAF-mutant among them) and mRCC
# patients with a prior VEGF TKI (6).
BRAF_INHIBITOR_MM = {2, 9, 17, 27, 11, 33, 38}
VEGF_TKI_RCC = {40, 43, 46, 48, 51, 54}


def _stop_toxicity_sequence(rng: np.random.Generator, n: int) -> list[str]:
    """Verbatims for stop toxicities: every listed term at least once, hypotension the most."""
    first = [rng.choice(v) for v in STOP_TOX_PLAN.values()]
    weights = np.array([8.0 if k == "hypotension" else 1.0 for k in STOP_TOX_PLAN])
    keys = list(STOP_TOX_PLAN)
    rest = [
        rng.choice(STOP_TOX_PLAN[keys[k]])
        for k in rng.choice(len(keys), size=n * 3, p=weights / weights.sum())
    ]
    seq = [str(x) for x in first + rest]
    return seq


def _schedule_cycles(
    rng: np.random.Generator, patients: list[_Patient], target: dict, rcc_design: list | None
) -> None:
    """Cycle admissions and dose times; total treatment days hit the published mean exactly."""
    with_cycles = [p for p in patients if p.o.cycles]
    n_cycles = sum(p.o.cycles for p in with_cycles)
    mean, sd = target["doses"]
    counts = list(fit_counts(rng, n_cycles, mean=mean, sd=sd, low=1, high=14))
    # Single-cycle patients get 9-13 doses (last dose 3-4 days after day 1); pneumonitis: 11.
    counts.sort()
    mid = [c for c in counts if 9 <= c <= 13]
    single = [p for p in with_cycles if p.o.cycles == 1]
    chosen: dict[int, int] = {}
    for p in single:
        want = 11 if "pneumonitis" in p.o.notes else None
        c = want if want in mid else mid[len(mid) // 2 + (len(chosen) % 3) - 1]
        mid.remove(c)
        counts.remove(c)
        chosen[id(p)] = c
    counts = list(rng.permutation(counts))

    t_mean, t_min, t_max = target["treatment"]
    min_days, max_days = months_to_days(t_min), months_to_days(t_max)
    total_days = int(round(t_mean * DAYS_PER_MONTH * len(with_cycles)))
    longest = max(with_cycles, key=lambda p: (p.o.cycles, p.o.follow_up_months))

    for p in with_cycles:
        p.plan = []  # (course, cycle_in_course, admission offset, dose minutes offsets)
        k = p.o.cycles
        for j in range(k):
            n = chosen[id(p)] if k == 1 else int(counts.pop())
            p.plan.append({"course": j // 2 + 1, "cic": j % 2 + 1, "n": n})
        for c in p.plan:
            pneu = "pneumonitis" in p.o.notes
            start = int(rng.integers(9 * 60, 15 * 60))
            if pneu:
                gaps = np.array([0, 480, 960, 480, 960, 480, 960, 480, 960, 480, 960])
                c["minutes"] = 600 + np.cumsum(gaps)
            elif k == 1:
                c["minutes"] = _dose_minutes(rng, c["n"], holds=False, start_minute=start)
            else:
                c["minutes"] = _dose_minutes(rng, c["n"], holds=True, start_minute=start)
        p.gap2 = int(rng.integers(5, 13))  # days from first assessment to course 2
        p.gap3 = 5  # days from second assessment to course 3

    def last_dose_day(p: _Patient) -> int:
        return _place(p)[-1]["admission"] + int(p.plan[-1]["minutes"][-1] // 1440)

    def within_limits(p: _Patient) -> bool:
        placed = _place(p)
        last = placed[-1]["admission"] + int(p.plan[-1]["minutes"][-1] // 1440)
        limit = p.o.progression_day if p.o.progression_day is not None else 10**6
        fu = months_to_days(p.o.follow_up_months)
        ok = last < min(limit, fu) - 4 and last <= max_days and last >= min_days
        for before, after in zip(placed, placed[1:], strict=False):
            before_last = before["admission"] + int(before["minutes"][-1] // 1440)
            ok = ok and after["admission"] >= before_last + 7
        return ok

    # The longest course: its last dose exactly `max_days` after day 1.
    while last_dose_day(longest) < max_days:
        longest.gap3 += 1
    free = [p for p in with_cycles if p.o.cycles >= 3 and p is not longest]
    current = sum(last_dose_day(p) for p in with_cycles)
    guard = 0
    while current != total_days:
        step = 1 if current < total_days else -1
        p = free[guard % len(free)]
        attr = "gap3" if p.o.cycles >= 5 else "gap2"
        before = last_dose_day(p)
        setattr(p, attr, getattr(p, attr) + step)
        if getattr(p, attr) < 3 or not within_limits(p):
            setattr(p, attr, getattr(p, attr) - step)
        else:
            current += last_dose_day(p) - before
        guard += 1
        if guard > 200_000:
            raise RuntimeError("cannot fit HD IL-2 treatment durations")
    for p in with_cycles:
        p.cycles = _place(p)


def _place(p: _Patient) -> list[dict]:
    """Admission offsets: cycle 2 two weeks after cycle 1; course 2 after the first assessment."""
    a1 = p.o.first_assessment_day
    placed = []
    course_start = 0
    for c in p.plan:
        if c["cic"] == 1 and c["course"] == 2:
            course_start = a1 + p.gap2
        elif c["cic"] == 1 and c["course"] == 3:
            course_start = a1 + 84 + p.gap3
        adm = course_start + (14 if c["cic"] == 2 else 0)
        placed.append({**c, "admission": adm})
    return placed


def _cycle_rows(rng: np.random.Generator, p: _Patient, tox_iter, rows: dict) -> None:
    for c in getattr(p, "cycles", []):
        adm = p.day1 + c["admission"]
        minutes = adm * 1440 + c["minutes"]
        planned = 14
        given = c["n"]
        pneu = "pneumonitis" in p.o.notes
        if given >= planned:
            reason, tox = "COMPLETED", []
        elif pneu:
            reason, tox = "TOXICITY", ["SOB/hypoxia"]
        elif rng.uniform() < 0.85:
            reason = "TOXICITY"
            tox = [next(tox_iter) for _ in range(int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15])))]
        else:
            reason, tox = str(rng.choice(["PATIENT_DECISION", "OTHER"])), []
        tox = list(dict.fromkeys(tox))
        last_day = int(minutes[-1] // 1440)
        level = p.dose_level
        rows["cyc"].append(
            {
                "patient_id": p.pid,
                "course_number": c["course"],
                "cycle_in_course": c["cic"],
                "admission": adm,
                "discharge": last_day + 1,
                "dose_level": level,
                "doses_planned": planned,
                "doses_given": given,
                "stop_reason": reason,
                "tox1": tox[0] if len(tox) > 0 else "",
                "tox2": tox[1] if len(tox) > 1 else "",
                "tox3": tox[2] if len(tox) > 2 else "",
                "has_cycle_row": True,
                "last_dose_day": last_day,
            }
        )
        for k, m in enumerate(minutes):
            rows["dose"].append(
                {
                    "patient_id": p.pid,
                    "course_number": c["course"],
                    "cycle_in_course": c["cic"],
                    "dose_number": k + 1,
                    "admin_minute": int(m),
                    "dose_iu": level,
                }
            )
        for seq_term in tox:
            if pneu:
                onset = p.day1 + 6
            else:
                onset = last_day
            rows["ae"].append(
                _ae(
                    p.pid,
                    seq_term,
                    onset,
                    onset + int(rng.integers(1, 6)),
                    int(rng.choice([2, 3, 4])),
                    "Y",
                    "RELATED",
                    str(rng.choice(["N", ""])),
                    "N",
                )  # fmt: skip
            )


def _ae(pid, term, onset, resolution, grade, serious, related, immune, steroids) -> dict:
    return {
        "patient_id": pid,
        "ae_term": term,
        "onset": onset,
        "resolution": resolution,
        "grade": grade,
        "serious": serious,
        "related": related,
        "immune_related": immune,
        "steroids": steroids,
    }


def _assessments_and_follow_up(rng: np.random.Generator, p: _Patient, cutoff_day: int, rows: dict) -> None:
    o = p.o
    fu = months_to_days(o.follow_up_months)
    a1 = o.first_assessment_day
    prog = o.progression_day if o.progression_day is not None else (a1 if o.bor == "PD" else None)
    end = fu if not o.dead else fu - 1  # assessments strictly before death
    # Scheduled assessment days: a1, then every 12 weeks (+-1 week).
    sched = [a1]
    while sched[-1] + 91 <= end:
        sched.append(sched[-1] + 84 + int(rng.integers(-7, 8)))
    if prog is not None:
        sched = [d for d in sched if d < prog - 13] if o.bor != "PD" else [a1]
    days_resp: list[tuple[int, str]] = []
    for k, d in enumerate(sched):
        if o.bor == "PD":
            r = "PD"
        elif k == 0:
            r = o.initial
        elif o.bor == "SD":
            r = "SD"
        elif o.bor == "PR":
            r = "PR"
        else:  # CR: a PR on the way when the first was SD, then CR
            r = "PR" if (k == 1 and o.initial == "SD") else "CR"
        days_resp.append((d, r))
    if prog is not None and o.progression_via == "assessment" and o.bor != "PD":
        days_resp.append((prog, "PD"))
    if o.censored_at_cutoff and o.bor == "CR":
        days_resp.append((cutoff_day - p.day1 + 21, "CR"))  # after the cut-off: ignored
    for d, r in days_resp:
        rows["ta"].append(
            {
                "patient_id": p.pid,
                "date": p.day1 + d,
                "response": r,
                "method": "CLINICAL" if d < 30 else str(rng.choice(["CT", "CT", "CT", "MRI", "PET_CT"])),
                "new_lesions": "Y" if r == "PD" else str(rng.choice(["N", ""])),
            }
        )
    # Baseline scan before day 1 (carries no response).
    rows["ta"].append(
        {
            "patient_id": p.pid,
            "date": p.day1 - int(rng.integers(5, 25)),
            "response": "NE",
            "method": "CT",
            "new_lesions": "",
        }  # fmt: skip
    )

    # Subsequent therapy: the PFS event itself, or some weeks after a progression.
    if prog is not None:
        start = None
        if o.progression_via == "therapy":
            start = prog
        elif rng.uniform() < 0.6 and prog + 25 < fu - 3:
            start = prog + int(rng.integers(20, min(60, fu - prog - 3)))
        if start is not None:
            text = _subsequent_text(rng, p.disease)
            rows["sub"].append(
                {"patient_id": p.pid, "regimen_text": text, "start": p.day1 + start, "start_prec": FULL}
            )

    # Follow-up contacts every ~3 months, then the last contact.
    contacts = []
    d = int(rng.integers(25, 45))
    while d < fu - 20:
        contacts.append(d)
        d += int(rng.integers(70, 110))
    for d in contacts:
        if fu <= 20:
            break
        rows["fu"].append(_contact(p, d, "ALIVE"))
    if prog is not None and o.progression_via == "contact":
        rows["fu"].append(_contact(p, prog + 3, "ALIVE", progression=prog))
    if o.dead:
        contact = min(fu + int(rng.integers(0, 6)), cutoff_day - p.day1)
        rows["fu"].append(_contact(p, contact, "DEAD", death=fu))
    elif o.censored_at_cutoff:
        rows["fu"].append(_contact(p, fu - int(rng.integers(0, 20)), "ALIVE"))
        after = fu + int(rng.integers(5, 40))
        if o.death_after_cutoff:
            rows["fu"].append(_contact(p, after + 3, "DEAD", death=after))
        else:
            rows["fu"].append(_contact(p, after, "ALIVE"))
    elif fu <= 20:
        rows["fu"].append(_contact(p, fu + 30, "LOST"))
    else:
        rows["fu"].append(_contact(p, fu, "ALIVE"))
    rows["fu"].sort(key=lambda r: (r["patient_id"], r["contact_date"]))


def _contact(p: _Patient, day: int, status: str, *, death: int | None = None, progression: int | None = None):
    return {
        "patient_id": p.pid,
        "contact_date": p.day1 + day,
        "vital_status": status,
        "death_date": p.day1 + death if death is not None else MISSING,
        "progression_date": p.day1 + progression if progression is not None else MISSING,
    }


def _subsequent_text(rng: np.random.Generator, disease: str) -> str:
    if disease == "MELANOMA":
        return str(rng.choice(["Dabrafenib/Trametinib", "Temozolomide", "Ipilimumab", "T-VEC"]))
    return str(rng.choice(["Cabozantinib", "Axitinib", "Everolimus", "Pazopanib"]))


_AGENT_TEXTS = {
    "nivolumab": [r.text for r in voc.NIVOLUMAB_TEXTS] + [voc.QUOTED_NIVOLUMAB.text],
    "nivolumab+ipilimumab": [r.text for r in voc.NIVO_IPI_TEXTS],
    "pembrolizumab": [r.text for r in voc.PEMBROLIZUMAB_TEXTS],
    "atezolizumab": [r.text for r in voc.ATEZOLIZUMAB_TEXTS],
    "not_recorded": [r.text for r in voc.PD1_NOT_RECORDED_TEXTS],
}


def _patient_rows(
    rng: np.random.Generator,
    p: _Patient,
    site_id: str,
    f: dict,
    agent: str,
    cutoff_day: int,
    rows: dict,
    *,
    mutation: tuple[str, str, str] | None,
    agent_texts: dict,
) -> None:
    mel = p.disease == "MELANOMA"
    day1 = p.day1
    has_dose = bool(getattr(p, "cycles", []))
    age = float(np.clip(rng.normal(58, 11), 24, 91))
    birth = day1 - int(round(age * 365.25))
    met = day1 - f["met"]
    prim = met - int(rng.integers(0, 2500)) if rng.uniform() < 0.7 else met
    enrol_shift = 2 if (has_dose and p.o.follow_up_months == 13.0 and mel) else 0
    rows["pat"].append(
        {
            "patient_id": p.pid,
            "site_id": site_id,
            "disease": p.disease,
            "cohort": "prior_icb",
            "mrn": f"MRN{int(rng.integers(1_000_000, 9_999_999))}",
            "initials": "".join(rng.choice(list("ABCDEFGHIJKLMNOPRSTW"), size=2)),
            "birth_date": birth,
            "sex": str(rng.choice(["M", "M", "M", "F", "MALE"])),
            "race": str(rng.choice(["WHITE"] * 8 + ["BLACK", "UNKNOWN"])),
            "consent_date": day1 - int(rng.integers(3, 20)),
            "primary_dx": prim,
            "primary_dx_prec": MONTH_ONLY if rng.uniform() < 0.2 else FULL,
            "metastatic_dx": met,
            "metastatic_dx_prec": FULL,
            "il2_start_date": day1 + enrol_shift,
            "last_modified": min(day1 + int(rng.integers(30, 700)), cutoff_day) * 1440
            + int(rng.integers(420, 1140)),
            "day1": day1,
        }
    )
    braf, nras, ckit = mutation if (mel and mutation) else (("NOT_TESTED",) * 3 if mel else ("",) * 3)
    if mel and mutation is None and rng.uniform() < 0.3:
        braf = nras = ckit = ""
    rows["base"].append(
        {
            "patient_id": p.pid,
            "assessment_date": day1 - int(rng.integers(2, 21)),
            "ecog": float(rng.choice([0, 0, 1, 1, 2])),
            "weight_kg": round(float(np.clip(rng.normal(88, 17), 48, 160)), 1),
            "n_metastatic_sites": float(rng.choice([1, 2, 3, 3, 4, 5, 6])),
            "ldh_value": f.get("ldh", float(np.round(np.clip(rng.lognormal(np.log(230), 0.4), 110, 1500)))),
            "ldh_uln": float(rng.choice([222.0, 246.0, 280.0])),
            "braf_status": braf,
            "nras_status": nras,
            "ckit_status": ckit,
            "brain_metastases": "Y" if rng.uniform() < 0.1 else "N",
            "imdc_risk": ""
            if mel
            else str(rng.choice(["FAVORABLE", "INTERMEDIATE", "INTERMEDIATE", "POOR"])),
            "m_stage": str(rng.choice(["M1A", "M1B", "M1C", "M1C"])) if mel else "",
        }
    )
    # Prior lines: the PD-1/PD-L1 regimen last; before it BRAF/VEGF or other therapy.
    pd1_end = day1 - f["end"]
    pd1_start = pd1_end - f["on"]
    lines = []
    gi = len(rows["pat"]) - 1
    earlier_end = pd1_start - int(rng.integers(14, 90))
    if (mel and gi in BRAF_INHIBITOR_MM) or (not mel and gi in VEGF_TKI_RCC):
        texts = (
            ["Dabrafenib/Trametinib", "Tafinlar + Mekinist", "Vemurafenib"]
            if mel
            else ["Sunitinib", "Sutent 50mg", "Pazopanib", "Axitinib", "Votrient"]
        )
        duration = int(rng.integers(90, 400))
        lines.append((str(rng.choice(texts)), earlier_end - duration, earlier_end, FULL))
        earlier_end = earlier_end - duration - int(rng.integers(20, 90))
    if rng.uniform() < 0.35:
        texts = ["Interferon", "IFN-alpha adjuvant", "Dacarbazine"] if mel else ["Interferon", "Everolimus"]
        duration = int(rng.integers(60, 330))
        lines.append((str(rng.choice(texts)), earlier_end - duration, earlier_end, MONTH_ONLY))
    lines.reverse()
    for k, (text, start, end, prec) in enumerate(lines):
        rows["prior"].append(
            {
                "patient_id": p.pid,
                "line_number": k + 1,
                "regimen_text": text,
                "start": start,
                "start_prec": prec,
                "end": end,
                "end_prec": FULL,
                "best_response": str(rng.choice(["PD", "SD", "PR", ""])),
                "reason_stopped": str(rng.choice(["PROGRESSION", "TOXICITY", "COMPLETED"])),
                "irae_reported": "",
            }
        )
    recorded = p.pd1_response
    rows["prior"].append(
        {
            "patient_id": p.pid,
            "line_number": len(lines) + 1,
            "regimen_text": next(agent_texts[agent]),
            "start": pd1_start,
            "start_prec": FULL,
            "end": pd1_end,
            "end_prec": FULL,
            "best_response": recorded or "",
            "reason_stopped": "PROGRESSION" if recorded else str(rng.choice(["PROGRESSION", "OTHER", ""])),
            "irae_reported": "N" if "pneumonitis" in p.o.notes else str(rng.choice(["N", "", "", "Y"])),
        }
    )


def _tables(rows: dict) -> ClinicalTables:
    ae = pd.DataFrame(rows["ae"]).sort_values(["patient_id", "onset"], kind="stable").reset_index(drop=True)
    ae.insert(1, "ae_seq", ae.groupby("patient_id").cumcount() + 1)
    return ClinicalTables(
        patients=pd.DataFrame(rows["pat"]),
        baseline=pd.DataFrame(rows["base"]),
        prior=pd.DataFrame(rows["prior"]),
        cycles=pd.DataFrame(rows["cyc"]),
        doses=pd.DataFrame(rows["dose"]),
        adverse_events=ae,
        assessments=pd.DataFrame(rows["ta"])
        .sort_values(["patient_id", "date"], kind="stable")
        .reset_index(drop=True),
        subsequent=pd.DataFrame(rows["sub"]),
        follow_up=pd.DataFrame(rows["fu"]),
    )
