"""Kaplan-Meier curves with their pointwise band, per disease, cohort and endpoint.

Grain: one row per disease, cohort, endpoint and distinct time (time 0 included). The
statistics live in il2_registry.survival; this model only feeds it marts.survival.
"""

from il2_registry.survival.tables import km_curves


def model(dbt, session):
    dbt.config(materialized="table")
    conf_type = dbt.config.get("km_conf_type")
    survival = dbt.ref("survival").project("disease, cohort, endpoint, time_days, event").df()
    return km_curves(survival, conf_type)
