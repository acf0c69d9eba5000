"""A Kaplan-Meier curve read at fixed times, as R's `summary(survfit(...), times = )` prints it.

For each requested time t: `n_at_risk` (patients with time >= t), `n_events` (events in
(previous requested time, t], the first interval from 0), `survival` S(t), `std_err` (Greenwood
standard error of S(t), R's `std.err`) and the pointwise band of `conf_type` at t. A time past
the last follow-up has no estimate: R leaves it out (extend = FALSE); here its row says
n_at_risk 0 and the estimate is null (NaN), so a table of several groups keeps its columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from il2_registry.survival.confidence import pointwise_ci
from il2_registry.survival.km import KaplanMeierCurve

AT_TIMES_COLUMNS = ["time", "n_at_risk", "n_events", "survival", "std_err", "ci_lower", "ci_upper"]


def parse_times(text: str) -> list[float]:
    """'6,12,24' -> [6.0, 12.0, 24.0]; ascending, non-negative, at least one."""
    try:
        times = [float(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise ValueError(f"times must be comma-separated numbers, e.g. 6,12,24; got {text!r}") from error
    if not times or any(not np.isfinite(t) or t < 0 for t in times) or times != sorted(times):
        raise ValueError(f"times must be non-negative and ascending, e.g. 6,12,24; got {text!r}")
    return times


def survival_at_times(
    curve: KaplanMeierCurve, times: Sequence[float], conf_type: str, level: float = 0.95
) -> pd.DataFrame:
    """One row per requested time (columns AT_TIMES_COLUMNS)."""
    requested = np.asarray(times, dtype=float)
    lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, conf_type, level)
    # The curve row in force at t: the last distinct time <= t (time 0 is always the first).
    row = np.searchsorted(curve.time, requested, side="right") - 1
    # The risk set at t: those still followed at the first distinct time >= t.
    next_row = np.searchsorted(curve.time, requested, side="left")
    followed = next_row < curve.time.size
    n_at_risk = np.where(followed, curve.n_at_risk[np.minimum(next_row, curve.time.size - 1)], 0)
    events_to = np.cumsum(curve.n_events)[row]
    n_events = np.diff(np.concatenate([[0], events_to]))
    survival = curve.survival[row]
    std_err = survival * np.sqrt(curve.var_log_survival[row])

    return pd.DataFrame(
        {
            "time": requested,
            "n_at_risk": n_at_risk.astype(np.int64),
            "n_events": n_events.astype(np.int64),
            "survival": np.where(followed, survival, np.nan),
            "std_err": np.where(followed, std_err, np.nan),
            "ci_lower": np.where(followed, lower[row], np.nan),
            "ci_upper": np.where(followed, upper[row], np.nan),
        },
        columns=AT_TIMES_COLUMNS,
    )
