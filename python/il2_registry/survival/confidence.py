"""Pointwise confidence intervals for S(t) from the Greenwood variance, three transforms.

Formulas as in R survfit (`conf.type`) and SAS LIFETEST (`CONFTYPE=`), with se = sqrt(Greenwood
sum) the standard error of log S(t) and z the normal quantile:
- plain:   S -/+ z * S * se, cut to [0, 1];
- log:     S * exp(-/+ z * se), upper limit capped at 1 (R's default);
- log-log: exp(-exp(log(-log S) -/+ z * se / log S)) (SAS's default; lifelines' own band).
Where S = 0 the variance is undefined and both limits are NaN (R prints NA). Where S = 1 the
variance is 0 and both limits are 1 (R leaves log-log limits NA there; the interval is the
point itself, which changes no median limit).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.stats import norm

ConfType = Literal["log-log", "log", "plain"]
CONF_TYPES: tuple[str, ...] = ("log-log", "log", "plain")


def check_conf_type(conf_type: str) -> ConfType:
    if conf_type not in CONF_TYPES:
        raise ValueError(f"conf_type must be one of {', '.join(CONF_TYPES)}; got {conf_type!r}")
    return conf_type  # type: ignore[return-value]


def pointwise_ci(
    survival: np.ndarray, var_log_survival: np.ndarray, conf_type: str, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper pointwise limits for each S(t)."""
    check_conf_type(conf_type)
    s = np.asarray(survival, dtype=float)
    se = np.sqrt(np.asarray(var_log_survival, dtype=float))
    z = float(norm.ppf(1 - (1 - level) / 2))
    inside = (s > 0) & (s < 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            half = z * s * se
            lower = np.clip(s - half, 0.0, 1.0)
            upper = np.clip(s + half, 0.0, 1.0)
        elif conf_type == "log":
            lower = s * np.exp(-z * se)
            upper = np.minimum(s * np.exp(z * se), 1.0)
        else:
            log_s = np.log(s)
            shift = z * se / log_s
            loglog = np.log(-log_s)
            lower = np.exp(-np.exp(loglog - shift))
            upper = np.exp(-np.exp(loglog + shift))
    lower = np.where(inside, lower, np.where(s >= 1, 1.0, np.nan))
    upper = np.where(inside, upper, np.where(s >= 1, 1.0, np.nan))
    return lower, upper
