"""Median survival with its Brookmeyer-Crowley interval, per disease, cohort and endpoint.

Grain: one row per disease x cohort x endpoint in the registry's codes (n = 0 when empty).
Computed from the curves (the median and its limits are where the curve and its band meet 0.5).
"""

from il2_registry.survival.tables import km_summary


def model(dbt, session):
    dbt.config(materialized="table")
    conf_type = dbt.config.get("km_conf_type")
    curves = dbt.ref("int_km_curves_estimated").df()
    return km_summary(curves, conf_type)
