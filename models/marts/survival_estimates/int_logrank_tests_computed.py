"""Log-rank test of prior_icb against il2_alone. Grain: one row per disease and endpoint."""

from il2_registry.survival.tables import logrank_tests


def model(dbt, session):
    dbt.config(materialized="table")
    survival = dbt.ref("survival").project("disease, cohort, endpoint, time_days, event").df()
    return logrank_tests(survival)
