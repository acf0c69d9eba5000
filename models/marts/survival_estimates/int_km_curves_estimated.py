"""Kaplan-Meier curves with their pointwise band, per disease, cohort and endpoint.

Grain: one row per disease, cohort, endpoint and distinct time (time 0 included). The
statistics live in il2_registry.survival; this model only feeds it marts.survival.
"""

from il2_registry.survival.tables import km_curves


def model(dbt, session):
    dbt.config(materialized="table")
    conf_type = dbt.config.get("km_conf_type")
    # Count patients per group, day and event flag in DuckDB: exact for Kaplan-Meier and far
    # smaller than one row per patient once in pandas.
    keys = "disease, cohort, endpoint, time_days, event"
    counted = dbt.ref("survival").aggregate(f"{keys}, count(*) as n_patients", keys).df()
    return km_curves(counted, conf_type)
