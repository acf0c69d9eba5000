"""Log-rank test of prior_icb against il2_alone. Grain: one row per disease and endpoint."""

from il2_registry.survival.tables import logrank_tests


def model(dbt, session):
    dbt.config(materialized="table")
    # Counted rows (patients per group, day and event flag) give exactly the same statistic.
    keys = "disease, cohort, endpoint, time_days, event"
    counted = dbt.ref("survival").aggregate(f"{keys}, count(*) as n_patients", keys).df()
    return logrank_tests(counted)
