"""Checking survival input: times and event flags, with errors that name the problem."""

from __future__ import annotations

import numpy as np
import pandas as pd


class SurvivalDataError(ValueError):
    """Survival input that cannot be analysed (missing column, bad event flag, negative time)."""


def _describe_rows(positions: np.ndarray, values: pd.Series) -> str:
    shown = ", ".join(f"row {int(p) + 1}: {values.iloc[int(p)]}" for p in positions[:5])
    more = f" (and {len(positions) - 5} more)" if len(positions) > 5 else ""
    return shown + more


def survival_arrays(frame: pd.DataFrame, time_col: str, event_col: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (time, event) as float and int arrays, after checking them.

    Rows are counted from 1 in the order given. Raises SurvivalDataError for a missing column,
    a missing or non-numeric time, a negative time, or an event flag other than 0/1.
    """
    missing = [c for c in (time_col, event_col) if c not in frame.columns]
    if missing:
        raise SurvivalDataError(
            f"column(s) not found: {', '.join(missing)}; available: {', '.join(map(str, frame.columns))}"
        )
    raw_time = frame[time_col]
    time = pd.to_numeric(raw_time, errors="coerce").to_numpy(dtype=float)
    bad_time = np.flatnonzero(~np.isfinite(time))
    if bad_time.size:
        raise SurvivalDataError(
            f"column {time_col!r} must hold a number in every row; "
            f"missing or not a number at {_describe_rows(bad_time, raw_time)}"
        )
    negative = np.flatnonzero(time < 0)
    if negative.size:
        raise SurvivalDataError(
            f"column {time_col!r} must not be negative; negative at {_describe_rows(negative, raw_time)}"
        )
    raw_event = frame[event_col]
    event_num = pd.to_numeric(raw_event, errors="coerce").to_numpy(dtype=float)
    bad_event = np.flatnonzero(~np.isin(event_num, (0.0, 1.0)))
    if bad_event.size:
        raise SurvivalDataError(
            f"column {event_col!r} must be 0 (censored) or 1 (event); "
            f"found {_describe_rows(bad_event, raw_event)}"
        )
    return time, event_num.astype(np.int64)
