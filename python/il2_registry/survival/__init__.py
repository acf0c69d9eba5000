"""Survival statistics for the registry: Kaplan-Meier curves, medians, log-rank, Cox.

Functions take arrays or data frames and return data; the dbt Python models in
`models/marts/survival_estimates/` and `il2reg km` only call them. Conventions follow R's
`survival` package (survfit, quantile.survfit, survdiff, coxph); see docs/survival.md.
"""

from il2_registry.survival.confidence import CONF_TYPES, pointwise_ci
from il2_registry.survival.frame import SurvivalDataError, survival_arrays
from il2_registry.survival.km import KaplanMeierCurve, fit_kaplan_meier
from il2_registry.survival.logrank import LogRankResult, logrank
from il2_registry.survival.median import MedianEstimate, median_with_ci, survival_quantile

__all__ = [
    "CONF_TYPES",
    "KaplanMeierCurve",
    "LogRankResult",
    "MedianEstimate",
    "SurvivalDataError",
    "fit_kaplan_meier",
    "logrank",
    "median_with_ci",
    "pointwise_ci",
    "survival_arrays",
    "survival_quantile",
]
