"""The dictionary's derivation rules, implemented independently in Python (pandas).

Applied to the generated records (the clinical tables, before bad rows are added), this gives
the truth that tests compare the warehouse with. It follows DATA_DICTIONARY.md "Derivation
rules" and the team decisions in docs/generator.md; it never looks at the generator's intent
(the intended cohort is carried beside the derived one so tests can compare them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from il2_registry.generator.calibration import DAYS_PER_MONTH
from il2_registry.generator.tables import MISSING, ClinicalTables, impute_partial
from il2_registry.generator.vocabulary import AE_TERM_BY_VERBATIM, PD1, PDL1, REGIMEN_BY_TEXT

RANK = {"CR": 4, "PR": 3, "SD": 2, "PD": 1, "NE": 0}
BEST_BY_RANK = {v: k for k, v in RANK.items()}
CONFIRMATION_MIN_DAYS = 28
SD_MIN_DAYS = 42
MAX_NE_BETWEEN = 1


def _agents(text: str) -> tuple[str, ...]:
    regimen = REGIMEN_BY_TEXT.get(text)
    return regimen.agents if regimen else ()


def _is_pd1_or_pdl1(text: str) -> bool:
    regimen = REGIMEN_BY_TEXT.get(text)
    return bool(regimen) and any(c in (PD1, PDL1) for c in regimen.classes)


def day1_table(t: ClinicalTables) -> pd.DataFrame:
    """Day 1: first dose date from the dose log, else the enrolment form's il2_start_date."""
    first_dose = (t.doses["admin_minute"] // 1440).groupby(t.doses["patient_id"]).min()
    p = t.patients[["patient_id", "disease", "cohort", "il2_start_date"]].set_index("patient_id")
    out = pd.DataFrame(index=p.index)
    out["disease"] = p["disease"].map({"MELANOMA": "mM", "RCC": "mRCC"})
    out["intended_cohort"] = p["cohort"]
    out["day1"] = (
        first_dose.reindex(p.index).astype(float).fillna(p["il2_start_date"].astype(float)).astype(np.int64)
    )
    out["day1_source"] = np.where(p.index.isin(first_dose.index), "dose_log", "enrolment_form")
    out["day1_mismatch"] = out["day1"] != p["il2_start_date"]
    return out


def derive_truth(t: ClinicalTables, cutoff_day: int, *, survival_only: bool = False) -> pd.DataFrame:
    """One row per patient: cohort, responses, OS/PFS/DoR and the paper's characteristics.

    `survival_only` skips confirmed BOR and the characteristics (calibration's fast path).
    """
    out = day1_table(t)
    day1 = out["day1"]

    # --- cohort: a PD-1/PD-L1 agent whose (imputed) start is before day 1
    prior = t.prior.copy()
    prior["start_i"] = impute_partial(prior["start"], prior["start_prec"])
    prior["end_i"] = impute_partial(prior["end"], prior["end_prec"])
    prior["day1"] = day1.reindex(prior["patient_id"]).to_numpy()
    prior["is_pd1"] = prior["regimen_text"].map(_is_pd1_or_pdl1)
    pd1 = prior[prior["is_pd1"] & (prior["start_i"] < prior["day1"])]
    out["cohort"] = np.where(out.index.isin(pd1["patient_id"]), "prior_icb", "il2_alone")

    # --- assessments after day 1 and not after the cut-off
    ta = t.assessments[["patient_id", "date", "response"]].copy()
    ta["day1"] = day1.reindex(ta["patient_id"]).to_numpy()
    ta = ta[(ta["date"] > ta["day1"]) & (ta["date"] <= cutoff_day)]
    ta = ta.sort_values(["patient_id", "date"], kind="stable")
    first = ta.groupby("patient_id").first()
    # No assessment after day 1: not evaluable (as for BOR).
    out["initial_response"] = first["response"].reindex(out.index).fillna("NE")
    out["initial_response_date"] = first["date"].reindex(out.index)

    sub = t.subsequent.copy()
    sub["start_i"] = impute_partial(sub["start"], sub["start_prec"])
    sub = sub[sub["start_i"] <= cutoff_day]
    first_sub = sub.groupby("patient_id")["start_i"].min()
    ta["first_sub"] = first_sub.reindex(ta["patient_id"]).fillna(np.inf).to_numpy()
    window = ta[ta["date"] < ta["first_sub"]].copy()
    window["is_pd"] = window["response"] == "PD"
    window["pd_before"] = window.groupby("patient_id")["is_pd"].cumsum() - window["is_pd"]
    window = window[window["pd_before"] == 0].drop(columns=["pd_before"])
    window["rank"] = window["response"].map(RANK)
    best_rank = window.groupby("patient_id")["rank"].max()
    out["best_overall_response"] = best_rank.reindex(out.index).map(BEST_BY_RANK).fillna("NE")
    window_best = window.merge(best_rank.rename("best"), left_on="patient_id", right_index=True)
    best_date = window_best[window_best["rank"] == window_best["best"]].groupby("patient_id")["date"].min()
    out["best_overall_response_date"] = best_date.reindex(out.index)
    if not survival_only:
        out["confirmed_best_overall_response"] = _confirmed_bor(window, day1).reindex(out.index).fillna("NE")

    # --- events
    fu = t.follow_up
    deaths = fu[(fu["vital_status"] == "DEAD") & (fu["death_date"] != MISSING)]
    death = deaths.groupby("patient_id")["death_date"].min()
    death_known = death.reindex(out.index)
    death_in = death_known.where(death_known <= cutoff_day)
    alive_after = fu[(fu["vital_status"] == "ALIVE") & (fu["contact_date"] > cutoff_day)][
        "patient_id"
    ].unique()
    dead_after = death_known.index[death_known > cutoff_day]
    after_cutoff = out.index.isin(alive_after) | out.index.isin(dead_after)

    known = [
        fu[(fu["vital_status"] == "ALIVE") & (fu["contact_date"] <= cutoff_day)][
            ["patient_id", "contact_date"]
        ].rename(columns={"contact_date": "d"}),
        t.assessments[t.assessments["date"] <= cutoff_day][["patient_id", "date"]].rename(
            columns={"date": "d"}
        ),
        pd.DataFrame({"patient_id": t.doses["patient_id"], "d": t.doses["admin_minute"] // 1440}),
        sub[["patient_id", "start_i"]].rename(columns={"start_i": "d"}),
    ]
    last_known = pd.concat(known).groupby("patient_id")["d"].max().reindex(out.index)
    last_known = np.maximum(last_known.fillna(day1).to_numpy(), day1.to_numpy())
    last_known = np.minimum(last_known, cutoff_day)
    os_end = np.where(
        death_in.notna() & ~after_cutoff, death_in.fillna(0), np.where(after_cutoff, cutoff_day, last_known)
    )
    os_event = (death_in.notna() & ~after_cutoff).to_numpy()
    out["os_end"] = os_end.astype(np.int64)
    out["os_days"] = out["os_end"] - day1
    out["os_event"] = os_event.astype(int)
    out["months_follow_up"] = out["os_days"] / DAYS_PER_MONTH

    # PFS: earliest of first PD assessment, recorded progression, new therapy, death.
    pd_assess = ta[ta["response"] == "PD"].groupby("patient_id")["date"].min()
    prog = fu[(fu["progression_date"] != MISSING) & (fu["progression_date"] <= cutoff_day)].copy()
    prog["day1"] = day1.reindex(prog["patient_id"]).to_numpy()
    prog = prog[prog["progression_date"] > prog["day1"]].groupby("patient_id")["progression_date"].min()
    candidates = pd.concat(
        [
            pd_assess.rename("d").to_frame().assign(reason="progression"),
            prog.rename("d").to_frame().assign(reason="progression"),
            first_sub.rename("d").to_frame().assign(reason="subsequent_therapy"),
            death_in.dropna().rename("d").to_frame().assign(reason="death"),
        ]
    )
    candidates = candidates[candidates.index.isin(out.index)]
    candidates = candidates.reset_index(names="patient_id").sort_values(["patient_id", "d"], kind="stable")
    event = candidates.groupby("patient_id").first()
    event_day = event["d"].reindex(out.index)
    adequate = ta[ta["response"].isin(["CR", "PR", "SD"])].copy()
    adequate["event"] = event_day.reindex(adequate["patient_id"]).fillna(np.inf).to_numpy()
    adequate = adequate[adequate["date"] < adequate["event"]]
    last_adequate = adequate.groupby("patient_id")["date"].max().reindex(out.index)
    has_event = event_day.notna()
    pfs_end = np.where(has_event, event_day.fillna(0), last_adequate.fillna(day1))
    out["pfs_end"] = np.minimum(pfs_end, cutoff_day).astype(np.int64)
    out["pfs_days"] = out["pfs_end"] - day1
    out["pfs_event"] = has_event.astype(int).to_numpy()
    out["pfs_reason"] = np.where(
        has_event,
        event["reason"].reindex(out.index).fillna(""),
        np.where(last_adequate.notna(), "last_assessment", "no_adequate_assessment"),
    )

    # DoR: responders, first CR/PR to the PFS end (same event and censoring).
    responders = out["best_overall_response"].isin(["CR", "PR"])
    first_resp = window[window["response"].isin(["CR", "PR"])].groupby("patient_id")["date"].min()
    start = first_resp.reindex(out.index)
    out["dor_start"] = start.where(responders)
    out["dor_days"] = (out["pfs_end"] - start).where(responders)
    out["dor_event"] = out["pfs_event"].where(responders)

    if not survival_only:
        _characteristics(t, out, prior, pd1, cutoff_day)
    return out


def _confirmed_bor(window: pd.DataFrame, day1: pd.Series) -> pd.Series:
    """RECIST 1.1 confirmed BOR over the BOR window (pairs of assessments per patient)."""
    w = window[["patient_id", "date", "response"]].copy().reset_index(drop=True)
    w["k"] = w.groupby("patient_id").cumcount()
    w["is_ne"] = (w["response"] == "NE").astype(int)
    w["not_cr_ne"] = (~w["response"].isin(["CR", "NE"])).astype(int)
    w["not_crprne"] = (~w["response"].isin(["CR", "PR", "NE"])).astype(int)
    for col in ("is_ne", "not_cr_ne", "not_crprne"):
        w["c_" + col] = w.groupby("patient_id")[col].cumsum()
    # For "no PR after a CR among i..j": the first CR at or after each row and the last PR at
    # or before it (global row positions; rows are grouped by patient, in date order).
    pos = np.arange(len(w), dtype=float)
    cr_pos = pd.Series(np.where(w["response"] == "CR", pos, np.inf))
    pr_pos = pd.Series(np.where(w["response"] == "PR", pos, -np.inf))
    w["next_cr"] = cr_pos[::-1].groupby(w["patient_id"][::-1]).cummin()[::-1].to_numpy()
    w["prev_pr"] = pr_pos.groupby(w["patient_id"]).cummax().to_numpy()
    pairs = w.merge(w, on="patient_id", suffixes=("_i", "_j"))
    pairs = pairs[
        (pairs["k_j"] > pairs["k_i"]) & (pairs["date_j"] - pairs["date_i"] >= CONFIRMATION_MIN_DAYS)
    ]

    def between(col: str) -> pd.Series:
        # strictly between i and j: cumulative at j-1 minus cumulative at i
        return (pairs["c_" + col + "_j"] - pairs[col + "_j"]) - pairs["c_" + col + "_i"]

    ne_between = between("is_ne")
    cr_ok = (
        (pairs["response_i"] == "CR")
        & (pairs["response_j"] == "CR")
        & (between("not_cr_ne") == 0)
        & (ne_between <= MAX_NE_BETWEEN)
    )
    pr_pair = pairs["response_i"].isin(["PR", "CR"]) & pairs["response_j"].isin(["PR", "CR"])
    pr_after_cr = pairs["next_cr_i"] < pairs["prev_pr_j"]
    pr_ok = pr_pair & (between("not_crprne") == 0) & (ne_between <= MAX_NE_BETWEEN) & ~pr_after_cr
    pr_ok_ids = set(pairs.loc[pr_ok, "patient_id"])
    cr_ids = set(pairs.loc[cr_ok, "patient_id"])
    w["day1"] = day1.reindex(w["patient_id"]).to_numpy()
    sd_ids = set(
        w.loc[w["response"].isin(["CR", "PR", "SD"]) & (w["date"] - w["day1"] >= SD_MIN_DAYS), "patient_id"]
    )
    pd_ids = set(w.loc[w["response"] == "PD", "patient_id"])
    ids = w["patient_id"].unique()
    result = pd.Series("NE", index=ids, dtype=object)
    result[result.index.isin(pd_ids)] = "PD"
    result[result.index.isin(sd_ids)] = "SD"
    result[result.index.isin(pr_ok_ids)] = "PR"
    result[result.index.isin(cr_ids)] = "CR"
    return result


def _characteristics(
    t: ClinicalTables, out: pd.DataFrame, prior: pd.DataFrame, pd1: pd.DataFrame, cutoff: int
):
    day1 = out["day1"]
    p = t.patients.set_index("patient_id")
    met = pd.Series(impute_partial(p["metastatic_dx"], p["metastatic_dx_prec"]), index=p.index)
    met = met.where(met != MISSING)
    out["months_metastatic_dx_to_day1"] = (day1 - met.reindex(out.index)) / DAYS_PER_MONTH

    # PD-1/PD-L1 history before day 1: first start to last end; last end to day 1.
    ended = pd1[(pd1["end_i"] != MISSING) & (pd1["end_i"] < pd1["day1"])]
    first_start = pd1.groupby("patient_id")["start_i"].min()
    last_end = ended.groupby("patient_id")["end_i"].max()
    out["months_on_pd1"] = ((last_end - first_start.reindex(last_end.index)) / DAYS_PER_MONTH).reindex(
        out.index
    )
    out["months_pd1_end_to_day1"] = ((day1.reindex(last_end.index) - last_end) / DAYS_PER_MONTH).reindex(
        out.index
    )
    last_regimen = pd1.sort_values(["patient_id", "start_i", "line_number"]).groupby("patient_id").last()
    resp = last_regimen["best_response"].where(last_regimen["best_response"] != "")
    out["prior_pd1_best_response"] = resp.reindex(out.index)

    agents = prior[prior["start_i"] < prior["day1"]].copy()
    agents["agents"] = agents["regimen_text"].map(_agents)
    per_patient: dict[str, set[str]] = {}
    combos: dict[str, bool] = {}
    for pid, ag in zip(agents["patient_id"], agents["agents"], strict=True):
        per_patient.setdefault(pid, set()).update(ag)
        if "nivolumab" in ag and "ipilimumab" in ag:
            combos[pid] = True
    from il2_registry.generator.vocabulary import AGENT_CLASS

    def has(pid: str, cls: str) -> bool:
        return any(AGENT_CLASS[a] == cls for a in per_patient.get(pid, ()))

    for agent in ("nivolumab", "pembrolizumab", "atezolizumab", "pd1_agent_not_recorded", "ipilimumab"):
        out[f"prior_{agent}"] = [agent in per_patient.get(pid, ()) for pid in out.index]
    out["prior_nivolumab_plus_ipilimumab"] = [combos.get(pid, False) for pid in out.index]
    out["prior_braf_mek"] = [has(pid, "BRAF/MEK") for pid in out.index]
    out["prior_vegf_tki"] = [has(pid, "VEGF TKI") for pid in out.index]

    b = t.baseline.set_index("patient_id").reindex(out.index)
    out["ldh_value"] = b["ldh_value"]
    for gene in ("braf", "nras", "ckit"):
        out[f"{gene}_status"] = b[f"{gene}_status"]
    out["is_mutation_status_reported"] = (
        b[["braf_status", "nras_status", "ckit_status"]].isin(["MUTANT", "WILD_TYPE"]).any(axis=1)
    )

    # Treatment: cycles with at least one dose; HD IL-2 duration day 1 -> last dose.
    doses = t.doses
    given = doses.groupby(["patient_id", "course_number", "cycle_in_course"]).size().rename("doses_in_log")
    cycles = t.cycles[t.cycles["has_cycle_row"]].set_index(["patient_id", "course_number", "cycle_in_course"])
    cycles = cycles[[]].join(given, how="left")
    cycles["doses_in_log"] = cycles["doses_in_log"].fillna(0).astype(int)
    with_dose = cycles[cycles["doses_in_log"] > 0]
    received = with_dose.groupby(level="patient_id").size()
    has_rows = cycles.index.get_level_values("patient_id").unique()
    out["cycles_received"] = received.reindex(out.index).where(out.index.isin(has_rows))
    out.loc[out.index.isin(has_rows) & out["cycles_received"].isna(), "cycles_received"] = 0
    last_dose = (doses["admin_minute"] // 1440).groupby(doses["patient_id"]).max()
    out["months_il2_treatment"] = ((last_dose - day1.reindex(last_dose.index)) / DAYS_PER_MONTH).reindex(
        out.index
    )
    return out


def cycle_doses(t: ClinicalTables) -> pd.DataFrame:
    """Doses given per cycle (cycles with an il2_cycles row and at least one dose)."""
    given = t.doses.groupby(["patient_id", "course_number", "cycle_in_course"]).size().rename("doses_given")
    cycles = t.cycles[t.cycles["has_cycle_row"]].set_index(["patient_id", "course_number", "cycle_in_course"])
    joined = cycles[["doses_planned"]].join(given, how="inner")
    return joined.reset_index()


def stop_toxicities(t: ClinicalTables) -> pd.DataFrame:
    """One row per cycle and stop toxicity, with its preferred term."""
    parts = []
    for i in (1, 2, 3):
        sel = t.cycles[t.cycles[f"tox{i}"] != ""]
        parts.append(pd.DataFrame({"patient_id": sel["patient_id"], "verbatim": sel[f"tox{i}"]}))
    frame = pd.concat(parts, ignore_index=True)
    frame["preferred_term"] = frame["verbatim"].map(
        lambda v: AE_TERM_BY_VERBATIM[v].preferred_term if v in AE_TERM_BY_VERBATIM else "UNMAPPED"
    )
    return frame
