"""The warehouse's survival tables, built from `marts.survival` (one row per patient/endpoint).

Each function takes and returns a pandas DataFrame; the dbt Python models only call these.
Groups are every disease x cohort x endpoint in the registry's fixed codes, so an empty group
still has its km_summary row (n = 0) and an analyst never has to wonder whether it was lost.
Times are analysed in whole days (exact ties) and reported in months (days / 30.4375).
Input frames may be one row per patient, or already counted: a column `n_patients` then says
how many patients share the row's (group, time_days, event), which the curves and the
log-rank test use as exact whole-number weights (far less memory on a large registry).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from il2_registry import codes
from il2_registry.survival.confidence import check_conf_type, pointwise_ci
from il2_registry.survival.cox import hazard_ratio
from il2_registry.survival.frame import SurvivalDataError, survival_arrays
from il2_registry.survival.km import fit_kaplan_meier
from il2_registry.survival.logrank import logrank
from il2_registry.survival.median import survival_quantile

DAYS_PER_MONTH = 30.4375
DISEASES = codes.DISEASES
COHORTS = codes.COHORTS
ENDPOINTS = codes.ENDPOINTS
EXPOSED_COHORT = COHORTS[0]  # prior_icb, compared against the other cohort

CURVE_COLUMNS = [
    "disease",
    "cohort",
    "endpoint",
    "time_months",
    "survival",
    "ci_lower",
    "ci_upper",
    "n_at_risk",
    "n_events",
    "n_censored",
    "conf_type",
]
SUMMARY_COLUMNS = [
    "disease",
    "cohort",
    "endpoint",
    "n",
    "n_events",
    "median_months",
    "median_ci_lower",
    "median_ci_upper",
    "conf_type",
]
LOGRANK_COLUMNS = [
    "disease",
    "endpoint",
    "n_prior_icb",
    "n_il2_alone",
    "chi_square",
    "df",
    "p_value",
]
COX_COLUMNS = [
    "disease",
    "endpoint",
    "n",
    "n_events",
    "hazard_ratio",
    "hr_ci_lower",
    "hr_ci_upper",
    "p_value",
    "covariates",
    "note",
]


def _check_codes(frame: pd.DataFrame) -> None:
    """Refuse values outside the registry's codes rather than leave those patients out."""
    for column, valid in (("disease", DISEASES), ("cohort", COHORTS), ("endpoint", ENDPOINTS)):
        if column in frame.columns:
            unknown = sorted(map(str, set(frame[column].unique()) - set(valid)))
            if unknown:
                raise SurvivalDataError(
                    f"marts.survival: {column} must be one of {', '.join(valid)}; found {', '.join(unknown)}"
                )


def _groups(survival: pd.DataFrame, keys: Sequence[str]) -> dict[tuple, pd.DataFrame]:
    _check_codes(survival)
    if survival.empty:
        return {}
    return {k: g for k, g in survival.groupby(list(keys), sort=False, observed=True)}


def _arrays(group: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """time_days and event, checked (no missing or negative time, event 0/1)."""
    try:
        return survival_arrays(group.reset_index(drop=True), "time_days", "event")
    except SurvivalDataError as error:
        first = group.iloc[0]
        where = ", ".join(f"{k}={first[k]}" for k in ("disease", "cohort", "endpoint") if k in group.columns)
        raise SurvivalDataError(f"marts.survival ({where}): {error}") from None


def _counts(group: pd.DataFrame) -> np.ndarray | None:
    return group["n_patients"].to_numpy(dtype=np.int64) if "n_patients" in group.columns else None


def _patients(group: pd.DataFrame, mask: pd.Series | None = None) -> int:
    rows = group if mask is None else group[mask]
    return int(rows["n_patients"].sum()) if "n_patients" in rows.columns else len(rows)


def _disease_endpoints() -> Iterator[tuple[str, str]]:
    for disease in DISEASES:
        for endpoint in ENDPOINTS:
            yield disease, endpoint


def km_curves(survival: pd.DataFrame, conf_type: str) -> pd.DataFrame:
    """One row per group and distinct time (time 0 first) with the pointwise band."""
    check_conf_type(conf_type)
    parts = []
    groups = _groups(survival, ["disease", "cohort", "endpoint"])
    for disease, endpoint in _disease_endpoints():
        for cohort in COHORTS:
            group = groups.get((disease, cohort, endpoint))
            if group is None or group.empty:
                continue
            curve = fit_kaplan_meier(*_arrays(group), _counts(group))
            lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, conf_type)
            parts.append(
                pd.DataFrame(
                    {
                        "disease": disease,
                        "cohort": cohort,
                        "endpoint": endpoint,
                        "time_months": curve.time / DAYS_PER_MONTH,
                        "survival": curve.survival,
                        "ci_lower": lower,
                        "ci_upper": upper,
                        "n_at_risk": curve.n_at_risk,
                        "n_events": curve.n_events,
                        "n_censored": curve.n_censored,
                        "conf_type": conf_type,
                    }
                )
            )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=_CURVE_DTYPES[c]) for c in CURVE_COLUMNS})
    return pd.concat(parts, ignore_index=True)[CURVE_COLUMNS]


_CURVE_DTYPES = {
    "disease": object,
    "cohort": object,
    "endpoint": object,
    "time_months": float,
    "survival": float,
    "ci_lower": float,
    "ci_upper": float,
    "n_at_risk": np.int64,
    "n_events": np.int64,
    "n_censored": np.int64,
    "conf_type": object,
}


def km_summary(curves: pd.DataFrame, conf_type: str) -> pd.DataFrame:
    """n, events and the median with its Brookmeyer-Crowley limits per group, from km_curves."""
    check_conf_type(conf_type)
    groups = _groups(curves, ["disease", "cohort", "endpoint"])
    rows = []
    for disease, endpoint in _disease_endpoints():
        for cohort in COHORTS:
            group = groups.get((disease, cohort, endpoint))
            row = {"disease": disease, "cohort": cohort, "endpoint": endpoint, "conf_type": conf_type}
            if group is None or group.empty:
                rows.append({**row, "n": 0, "n_events": 0})
                continue
            group = group.sort_values("time_months")
            time = group["time_months"].to_numpy(dtype=float)
            rows.append(
                {
                    **row,
                    "n": int(group["n_at_risk"].iloc[0]),
                    "n_events": int(group["n_events"].sum()),
                    "median_months": survival_quantile(time, group["survival"].to_numpy(dtype=float)),
                    "median_ci_lower": survival_quantile(time, group["ci_lower"].to_numpy(dtype=float)),
                    "median_ci_upper": survival_quantile(time, group["ci_upper"].to_numpy(dtype=float)),
                }
            )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("median_months", "median_ci_lower", "median_ci_upper"):
        frame[column] = frame[column].astype(float)
    return frame


def logrank_tests(survival: pd.DataFrame) -> pd.DataFrame:
    """Log-rank test of prior_icb against il2_alone per disease and endpoint (null if undefined).

    The statistic is a float sum over the rows: they are sorted first, so the same rows in any
    order (the model passes a `group by` result) give bit-identical tests."""
    _check_codes(survival)
    survival = survival.sort_values(list(survival.columns), kind="mergesort").reset_index(drop=True)
    groups = _groups(survival, ["disease", "endpoint"])
    rows = []
    for disease, endpoint in _disease_endpoints():
        group = groups.get((disease, endpoint), survival.iloc[0:0])
        row = {
            "disease": disease,
            "endpoint": endpoint,
            "n_prior_icb": _patients(group, group["cohort"] == "prior_icb"),
            "n_il2_alone": _patients(group, group["cohort"] == "il2_alone"),
        }
        group = group[group["cohort"].isin(COHORTS)]
        result = logrank(*_arrays(group), group["cohort"].to_numpy(), _counts(group)) if len(group) else None
        if result is not None:
            row.update(chi_square=result.chi_square, df=result.df, p_value=result.p_value)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=LOGRANK_COLUMNS)
    frame["df"] = frame["df"].astype("Int64")
    for column in ("chi_square", "p_value"):
        frame[column] = frame[column].astype(float)
    return frame


def parse_covariates(text: str | Sequence[str] | None) -> list[str]:
    """Covariate names from a dbt var: 'age_at_day1,ecog', "['age_at_day1']" or a list."""
    if text is None:
        return []
    if not isinstance(text, str):
        return [str(c).strip() for c in text if str(c).strip()]
    cleaned = text.strip().strip("[]")
    return [c.strip().strip("'\"").strip() for c in cleaned.split(",") if c.strip().strip("'\"").strip()]


def cox_models(
    survival: pd.DataFrame, patients: pd.DataFrame | None = None, covariates: Sequence[str] = ()
) -> pd.DataFrame:
    """Hazard ratio of prior_icb against il2_alone per disease and endpoint.

    Unadjusted unless `covariates` names numeric columns of `patients` (one row per patient_id,
    e.g. marts.cohort); patients missing a covariate are then left out (complete cases).
    """
    if "n_patients" in survival.columns:
        raise ValueError("the Cox model needs one row per patient, not counted rows (n_patients)")
    covariates = list(covariates)
    if covariates:
        if patients is None:
            raise ValueError("covariates were requested but no patient table was given")
        unknown = [c for c in covariates if c not in patients.columns]
        if unknown:
            raise ValueError(
                f"Cox covariate(s) not found in the patient table: {', '.join(unknown)}; "
                f"available: {', '.join(map(str, patients.columns))}"
            )
        survival = survival.merge(patients[["patient_id", *covariates]], on="patient_id", how="left")
    # Newton-Raphson sums depend on row order in their last bits; a database scan's order
    # varies with parallelism, so fix it here to make rebuilds of one extract identical.
    _check_codes(survival)
    survival = survival.sort_values(list(survival.columns), kind="mergesort").reset_index(drop=True)
    groups = _groups(survival, ["disease", "endpoint"])
    rows = []
    for disease, endpoint in _disease_endpoints():
        row: dict[str, object] = {
            "disease": disease,
            "endpoint": endpoint,
            "covariates": ",".join(covariates) if covariates else "none",
        }
        group = groups.get((disease, endpoint))
        if group is not None:
            group = group[group["cohort"].isin(COHORTS)]
        if group is None or group.empty:
            row.update(n=0, n_events=0, note="no patients")
        else:
            exposed = (group["cohort"] == EXPOSED_COHORT).to_numpy(dtype=int)
            adjust = group[covariates].apply(pd.to_numeric, errors="coerce") if covariates else None
            result = hazard_ratio(*_arrays(group), exposed, adjust)
            row.update(
                n=result.n,
                n_events=result.n_events,
                hazard_ratio=result.hazard_ratio,
                hr_ci_lower=result.hr_ci_lower,
                hr_ci_upper=result.hr_ci_upper,
                p_value=result.p_value,
                note=result.note,
            )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COX_COLUMNS)
    for column in ("hazard_ratio", "hr_ci_lower", "hr_ci_upper", "p_value"):
        frame[column] = frame[column].astype(float)
    return frame
