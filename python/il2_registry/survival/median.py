"""Quantiles of a Kaplan-Meier curve and their Brookmeyer-Crowley limits, R's conventions.

The p-quantile is where a horizontal line at survival 1 - p meets the step curve: the first
time S(t) <= 1 - p. When the curve lies exactly at 1 - p over an interval (within a tolerance of
sqrt(machine epsilon), as in R), the quantile is the midpoint of that interval; when that flat
runs to the end of follow-up, the midpoint of its start and the last observed time. This is the
rule of R's `quantile.survfit` (survival 3.x) and of SAS LIFETEST for the median; lifelines
returns the left end of the flat instead.

The confidence limits apply the same rule to the pointwise confidence band (Brookmeyer and
Crowley 1982, as R and SAS do): the lower limit is where the lower band meets the line, the
upper limit where the upper band does. A quantile or limit that is never reached is None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from il2_registry.survival.confidence import pointwise_ci
from il2_registry.survival.km import KaplanMeierCurve

TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def survival_quantile(
    time: np.ndarray, survival: np.ndarray, p: float = 0.5, tol: float = TOLERANCE
) -> float | None:
    """The p-quantile of a step curve given at its distinct times (NaN values are skipped).

    `time` ascending; `survival` the curve (or a confidence band) just after each time. The
    curve is taken to be 1 just before the first time.
    """
    time = np.asarray(time, dtype=float)
    survival = np.asarray(survival, dtype=float)
    if time.size == 0:
        return None
    last_time = float(time[-1])
    # The cumulative distribution 1 - S, starting from 0 before any time.
    x = np.concatenate([[min(0.0, float(time[0]))], time])
    cdf = np.concatenate([[0.0], 1.0 - survival])
    ends_known = not np.isnan(cdf[-1])
    known = ~np.isnan(cdf)
    x, cdf = x[known], cdf[known]
    if cdf.size == 0 or cdf.max() < p - tol:
        return None
    # Keep the first time at which each level is reached (later equal values are censorings).
    _, first = np.unique(cdf, return_index=True)
    first.sort()
    x, cdf = x[first], cdf[first]
    reach = np.flatnonzero(cdf >= p - tol)
    if reach.size == 0:
        return None
    start = int(reach[0])
    beyond = np.flatnonzero(cdf >= p + tol)
    if beyond.size and int(beyond[0]) == start:
        return float(x[start])
    # The curve sits at 1 - p from x[start] until it next drops.
    if beyond.size:
        return float((x[start] + x[int(beyond[0])]) / 2)
    if ends_known and abs(p - cdf[-1]) < tol:
        return float((x[start] + last_time) / 2)
    return None


@dataclass(frozen=True)
class MedianEstimate:
    median: float | None
    ci_lower: float | None
    ci_upper: float | None


def median_from_band(
    time: np.ndarray, survival: np.ndarray, ci_lower: np.ndarray, ci_upper: np.ndarray
) -> MedianEstimate:
    """Median and its limits from a curve and its pointwise band (e.g. a km_curves group)."""
    return MedianEstimate(
        median=survival_quantile(time, survival),
        ci_lower=survival_quantile(time, ci_lower),
        ci_upper=survival_quantile(time, ci_upper),
    )


def median_with_ci(curve: KaplanMeierCurve, conf_type: str, level: float = 0.95) -> MedianEstimate:
    """Median survival time of a fitted curve with its Brookmeyer-Crowley interval."""
    lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, conf_type, level)
    return median_from_band(curve.time, curve.survival, lower, upper)
