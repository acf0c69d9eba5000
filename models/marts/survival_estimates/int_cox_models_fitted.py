"""Cox hazard ratio of prior_icb against il2_alone. Grain: one row per disease and endpoint.

Unadjusted unless the dbt var `km_cox_covariates` names numeric columns of marts.cohort
(comma-separated, e.g. --vars '{km_cox_covariates: "age_at_day1,ecog"}').
"""

from il2_registry.survival.tables import cox_models, parse_covariates


def model(dbt, session):
    dbt.config(materialized="table")
    covariates = parse_covariates(dbt.config.get("km_cox_covariates"))
    columns = "disease, cohort, endpoint, time_days, event"
    if covariates:
        columns = "patient_id, " + columns
    # The Cox fit needs one row per patient (Efron's ties are not exact under weights).
    survival = dbt.ref("survival").project(columns).df()
    patients = dbt.ref("cohort").df() if covariates else None
    return cox_models(survival, patients, covariates)
