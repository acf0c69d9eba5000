"""The reproduced value of each published figure, computed from the report's data.

`resolver(data)` returns a function from a published_values.yml path (section, key, ...)
to the value this warehouse gives, following the team's definitions:
counts are patients; doses per cycle are pooled over cycles with at least one dose (sample
SD); median follow-up is the plain median of months_follow_up; "progressed" is a DoR event;
the pneumonitis case's day of onset is onset_day + 1 (day 1 is treatment day 1); autoimmune
toxicities are prior_icb adverse events flagged immune-related.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from il2_registry.report.comparison import NOT_COMPUTED, NOT_REACHED, Judged, Path, Resolver
from il2_registry.report.data import ReportData

PRIOR = "prior_icb"
ALONE = "il2_alone"

# published key -> marts.cohort column summarised in queries.characteristics
NUMERIC_KEYS = {
    "ldh_u_per_l": "ldh_value",
    "months_metastatic_dx_to_il2": "months_metastatic_dx_to_day1",
    "months_il2_treatment_duration": "months_il2_treatment",
    "months_pd1_end_to_il2": "months_pd1_end_to_day1",
    "months_on_pd1": "months_on_pd1",
    "median_follow_up_months": "months_follow_up",
}
COUNT_KEYS = {
    "mutation_status_reported": "mutation_status_reported",
    "braf_mutant": "braf_mutant",
    "nras_mutant": "nras_mutant",
    "ckit_mutant": "ckit_mutant",
    "prior_braf_inhibitor": "prior_braf_mek",
    "prior_vegf_tki": "prior_vegf_tki",
}
ENDPOINT_KEYS = {"overall_survival": "OS", "progression_free_survival": "PFS"}


def _row(df: pd.DataFrame, **filters: Any) -> pd.Series | None:
    if df is None or df.empty:
        return None
    mask = pd.Series(True, index=df.index)
    for column, value in filters.items():
        mask &= df[column] == value
    hit = df[mask]
    return None if hit.empty else hit.iloc[0]


def _number(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return NOT_COMPUTED
    if hasattr(value, "item"):
        value = value.item()
    return value


def _count(df: pd.DataFrame, column: str = "n", **filters: Any) -> int:
    row = _row(df, **filters)
    return 0 if row is None else int(row[column])


def cohort_n(data: ReportData, disease: str, cohort: str) -> int:
    return _count(data.cohort_sizes, disease=disease, cohort=cohort)


def stop_toxicity_patients(data: ReportData, cohort: str = PRIOR) -> pd.Series:
    """Patients per normalised stop-toxicity term over both diseases (a patient counted once per term
    within a disease)."""
    tox = data.stop_toxicities
    if tox.empty:
        return pd.Series(dtype="int64")
    tox = tox[tox["cohort"] == cohort]
    terms = tox["toxicity_term"].map(normalise_term)
    return tox.groupby(terms)["n_patients"].sum().sort_values(ascending=False)


def normalise_term(term: Any) -> str:
    return " ".join(str(term).replace("_", " ").split()).casefold()


def _characteristic(data: ReportData, path: Path) -> Any:
    _, disease, key, *rest = path
    row = _row(data.characteristics, disease=disease, cohort=PRIOR)
    if row is None:
        return NOT_COMPUTED
    if key in COUNT_KEYS:
        return int(row[COUNT_KEYS[key]])
    if key in NUMERIC_KEYS:
        (stat,) = rest
        return _number(row[f"{NUMERIC_KEYS[key]}__{stat}"])
    if key == "prior_pd1_response_recorded":
        (what,) = rest
        column = "prior_icb_response_recorded" if what == "n" else f"prior_icb_response_{what}"
        return int(row[column])
    return NOT_COMPUTED


def _dosing(data: ReportData, path: Path) -> Any:
    _, what, disease, key = path
    if what == "doses_per_cycle":
        row = _row(data.doses_per_cycle, disease=disease, cohort=PRIOR)
        return NOT_COMPUTED if row is None else _number(row[key])
    if what == "cycles_received":
        if cohort_n(data, disease, PRIOR) == 0:
            return NOT_COMPUTED
        return _count(data.cycles_received, disease=disease, cohort=PRIOR, bucket=key)
    return NOT_COMPUTED


def _durability(data: ReportData, path: Path) -> Any:
    _, disease, key = path
    response, measure = key.split("_", 1)
    if cohort_n(data, disease, PRIOR) == 0:
        return NOT_COMPUTED
    row = _row(data.durability, disease=disease, cohort=PRIOR, response=response)
    if row is None:
        return 0
    return int(row["n" if measure == "total" else measure])


def _toxicity(data: ReportData, path: Path) -> Any:
    key = path[1]
    if sum(cohort_n(data, disease, PRIOR) for disease in ("mM", "mRCC")) == 0:
        return NOT_COMPUTED  # no prior_icb patient: nothing to count, not zero
    if key == "most_common_stop_toxicity":
        counts = stop_toxicity_patients(data)
        if counts.empty:
            return NOT_COMPUTED
        top = counts[counts == counts.iloc[0]].index.tolist()
        return top[0] if len(top) == 1 else " / ".join(top) + " (tie)"
    if key == "stop_toxicities_seen":
        return int(stop_toxicity_patients(data).get(normalise_term(path[2]), 0))
    if key == "autoimmune_toxicities_recorded":
        return int(data.immune_related[data.immune_related["cohort"] == PRIOR]["n_patients_flagged"].sum())
    if key == "case_pneumonitis":
        cases = data.pneumonitis
        if cases.empty:
            return NOT_COMPUTED
        case = cases.iloc[0]
        field = path[2]
        if field == "day_of_onset":
            return _number(case["treatment_day_of_onset"])
        if field == "doses_given_before_onset":
            return _number(case["doses_given"])
        if field == "doses_planned":
            return _number(case["doses_planned"])
        if field == "treated_with":
            # The extract records steroid treatment (Y/N), not the agent or route.
            treated = (
                bool(case["is_treated_with_steroids"])
                if pd.notna(case["is_treated_with_steroids"])
                else False
            )
            return Judged(
                "steroids given (agent not recorded)" if treated else "no steroids recorded",
                treated,
                "steroid use only (agent not in the extract)",
            )
    return NOT_COMPUTED


def _survival(data: ReportData, path: Path) -> Any:
    _, endpoint_key, disease, cohort = path
    row = _row(data.km_summary, endpoint=ENDPOINT_KEYS[endpoint_key], disease=disease, cohort=cohort)
    if row is None or int(row["n"]) == 0:
        return NOT_COMPUTED
    median = row["median_months"]
    return NOT_REACHED if pd.isna(median) else float(median)


def resolver(data: ReportData) -> Resolver:
    def resolve(path: Path) -> Any:
        section = path[0]
        if section == "cohorts":
            if path[1] == "il2_alone_total":
                sizes = data.cohort_sizes
                return int(sizes[sizes["cohort"] == ALONE]["n"].sum())
            return cohort_n(data, path[2], path[1])
        if section == "prior_icb_agents":
            _, disease, agent = path
            if cohort_n(data, disease, PRIOR) == 0:
                return NOT_COMPUTED
            return _count(data.prior_icb_agents, disease=disease, agent=agent)
        if section == "table_1_best_response":
            _, disease, kind, response = path
            if cohort_n(data, disease, PRIOR) == 0:
                return NOT_COMPUTED
            return _count(data.responses, disease=disease, cohort=PRIOR, kind=kind, response=response)
        if section == "objective_response_rate_pct":
            disease = "all" if path[1] == "all_prior_icb" else path[1]
            row = _row(data.objective_response, disease=disease, cohort=PRIOR)
            return NOT_COMPUTED if row is None else _number(row["orr_pct"])
        if section == "durability_at_data_lock":
            return _durability(data, path)
        if section == "characteristics_prior_icb":
            return _characteristic(data, path)
        if section == "dosing_prior_icb":
            return _dosing(data, path)
        if section == "toxicity_prior_icb":
            return _toxicity(data, path)
        if section == "survival_months":
            return _survival(data, path)
        return NOT_COMPUTED

    return resolve
