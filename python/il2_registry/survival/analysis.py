"""An ad hoc Kaplan-Meier analysis of any table: per-group n, events, median and CI, log-rank.

Used by `il2reg km`; returns plain data (the JSON shape documented in docs/survival.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from il2_registry.survival.confidence import check_conf_type
from il2_registry.survival.frame import SurvivalDataError, survival_arrays
from il2_registry.survival.km import fit_kaplan_meier
from il2_registry.survival.logrank import logrank
from il2_registry.survival.median import median_with_ci


def _plain(value: Any) -> Any:
    """numpy/pandas scalars to JSON-friendly Python values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def analyse(
    frame: pd.DataFrame, time_col: str, event_col: str, group_col: str | None, conf_type: str
) -> dict[str, Any]:
    """{"conf_type", "groups": [{group, n, events, median, median_ci_lower, median_ci_upper}],
    "logrank": {chi_square, df, p_value} or None}. Groups sorted by value; None = not reached."""
    check_conf_type(conf_type)
    time, event = survival_arrays(frame, time_col, event_col)
    if group_col is None:
        labels = None
        keys: list[Any] = [None]
    else:
        if group_col not in frame.columns:
            raise SurvivalDataError(
                f"column(s) not found: {group_col}; available: {', '.join(map(str, frame.columns))}"
            )
        labels = frame[group_col]
        missing = np.flatnonzero(labels.isna().to_numpy())
        if missing.size:
            rows = ", ".join(str(int(r) + 1) for r in missing[:5])
            raise SurvivalDataError(
                f"column {group_col!r} is missing at row(s) {rows}; every row needs a group"
            )
        keys = sorted(labels.unique().tolist(), key=lambda v: (str(type(v)), v))
    groups = []
    for key in keys:
        mask = np.ones(len(frame), dtype=bool) if labels is None else (labels == key).to_numpy()
        curve = fit_kaplan_meier(time[mask], event[mask])
        estimate = median_with_ci(curve, conf_type)
        groups.append(
            {
                "group": _plain(key),
                "n": int(mask.sum()),
                "events": int(event[mask].sum()),
                "median": estimate.median,
                "median_ci_lower": estimate.ci_lower,
                "median_ci_upper": estimate.ci_upper,
            }
        )
    test = None
    if labels is not None:
        result = logrank(time, event, labels.astype(str).to_numpy())
        if result is not None:
            test = {"chi_square": result.chi_square, "df": result.df, "p_value": result.p_value}
    return {"conf_type": conf_type, "groups": groups, "logrank": test}
