"""An ad hoc survival analysis of any table: per group the Kaplan-Meier curve, median and CI,
survival at fixed times; the log-rank test and Cox hazard ratios between groups.

Used by `il2reg km` and the Python API (`il2_registry.km`); returns DataFrames, and `as_json`
turns them into the JSON shape documented in docs/survival.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from il2_registry.survival.at_times import AT_TIMES_COLUMNS, survival_at_times
from il2_registry.survival.confidence import check_conf_type, pointwise_ci
from il2_registry.survival.cox import group_hazard_ratios
from il2_registry.survival.frame import SurvivalDataError, survival_arrays
from il2_registry.survival.km import fit_kaplan_meier
from il2_registry.survival.logrank import logrank
from il2_registry.survival.median import median_from_band

SUMMARY_COLUMNS = ["group", "n", "events", "median", "median_ci_lower", "median_ci_upper"]
CURVE_COLUMNS = ["group", "time", "survival", "ci_lower", "ci_upper", "n_at_risk", "n_events", "n_censored"]
LOGRANK_COLUMNS = ["chi_square", "df", "p_value"]


@dataclass(frozen=True)
class SurvivalAnalysis:
    """The results as DataFrames; `group` is None (one row per table) without a group column.

    summary: one row per group (n, events, median and its Brookmeyer-Crowley CI; NaN = not
    reached); curve: the step curve with its pointwise band; at_times: survival at the
    requested times (R's summary(fit, times = )); logrank: one row, or none without groups;
    cox: hazard ratio of each group against the first, or none without groups (or not asked).
    """

    conf_type: str
    summary: pd.DataFrame
    curve: pd.DataFrame
    at_times: pd.DataFrame
    logrank: pd.DataFrame
    cox: pd.DataFrame


def _plain(value: Any) -> Any:
    """numpy/pandas scalars to plain Python values (NaN to None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _group_labels(frame: pd.DataFrame, group_col: str | None) -> tuple[pd.Series | None, list[Any]]:
    if group_col is None:
        return None, [None]
    if group_col not in frame.columns:
        raise SurvivalDataError(
            f"column(s) not found: {group_col}; available: {', '.join(map(str, frame.columns))}"
        )
    labels = frame[group_col]
    missing = np.flatnonzero(labels.isna().to_numpy())
    if missing.size:
        rows = ", ".join(str(int(r) + 1) for r in missing[:5])
        raise SurvivalDataError(f"column {group_col!r} is missing at row(s) {rows}; every row needs a group")
    return labels, sorted(labels.unique().tolist(), key=lambda v: (str(type(v)), v))


def analyse(
    frame: pd.DataFrame,
    time_col: str,
    event_col: str,
    group_col: str | None = None,
    conf_type: str = "log-log",
    times: Sequence[float] | None = None,
    cox: bool = True,
) -> SurvivalAnalysis:
    """Kaplan-Meier per group, survival at `times`, log-rank and (with `cox`) Cox between groups.
    Raises SurvivalDataError for an empty selection or bad input (naming column and rows)."""
    check_conf_type(conf_type)
    if frame.empty:
        raise SurvivalDataError("the selection has no rows")
    time, event = survival_arrays(frame, time_col, event_col)
    labels, keys = _group_labels(frame, group_col)
    summaries, curves, at_times = [], [], []
    for key in keys:
        mask = np.ones(len(frame), dtype=bool) if labels is None else (labels == key).to_numpy()
        curve = fit_kaplan_meier(time[mask], event[mask])
        lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, conf_type)
        median = median_from_band(curve.time, curve.survival, lower, upper)
        group = _plain(key)
        summaries.append(
            [group, int(mask.sum()), int(event[mask].sum()), median.median, median.ci_lower, median.ci_upper]
        )
        curves.append(
            pd.DataFrame(
                {
                    "group": [group] * curve.time.size,
                    "time": curve.time,
                    "survival": curve.survival,
                    "ci_lower": lower,
                    "ci_upper": upper,
                    "n_at_risk": curve.n_at_risk,
                    "n_events": curve.n_events,
                    "n_censored": curve.n_censored,
                }
            )
        )
        if times is not None:
            at_times.append(survival_at_times(curve, times, conf_type).assign(group=group))
    summary = pd.DataFrame(summaries, columns=SUMMARY_COLUMNS)
    for column in ("median", "median_ci_lower", "median_ci_upper"):
        summary[column] = summary[column].astype(float)
    test = pd.DataFrame(columns=LOGRANK_COLUMNS)
    hazard_ratios = pd.DataFrame()
    if labels is not None:
        result = logrank(time, event, labels.astype(str).to_numpy())
        if result is not None:
            test = pd.DataFrame([[result.chi_square, result.df, result.p_value]], columns=LOGRANK_COLUMNS)
        if cox:
            hazard_ratios = group_hazard_ratios(time, event, labels.to_numpy())
    at_times_frame = (
        pd.concat(at_times, ignore_index=True)[["group", *AT_TIMES_COLUMNS]]
        if at_times
        else pd.DataFrame(columns=["group", *AT_TIMES_COLUMNS])
    )
    return SurvivalAnalysis(
        conf_type=conf_type,
        summary=summary,
        curve=pd.concat(curves, ignore_index=True)[CURVE_COLUMNS],
        at_times=at_times_frame,
        logrank=test,
        cox=hazard_ratios,
    )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-friendly dicts (NaN and missing values as None)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def as_json(result: SurvivalAnalysis, *, with_times: bool = False, with_cox: bool = False) -> dict[str, Any]:
    """{"conf_type", "groups": [...summary rows], "logrank": {...} or None}, plus "at_times" and
    "cox" (lists of rows) when asked for."""
    test = records(result.logrank)
    payload: dict[str, Any] = {
        "conf_type": result.conf_type,
        "groups": [
            {**row, "n": int(row["n"]), "events": int(row["events"])} for row in records(result.summary)
        ],
        "logrank": {**test[0], "df": int(test[0]["df"])} if test else None,
    }
    if with_times:
        payload["at_times"] = records(result.at_times)
    if with_cox:
        payload["cox"] = records(result.cox)
    return payload
