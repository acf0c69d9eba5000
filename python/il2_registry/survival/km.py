"""The Kaplan-Meier product-limit estimate (fitted by lifelines) and its Greenwood variance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter


@dataclass(frozen=True)
class KaplanMeierCurve:
    """One Kaplan-Meier curve: one entry per distinct observed time, time 0 first.

    `n_at_risk` is the number at risk just before the time; `n_events`/`n_censored` happen at it;
    `survival` is S(t) just after it (right-continuous, as in R and SAS). `var_log_survival` is
    Greenwood's sum of d / (n (n - d)) up to t, the variance of log S(t); it is infinite once
    S(t) = 0 (all at risk had the event).
    """

    time: np.ndarray
    n_at_risk: np.ndarray
    n_events: np.ndarray
    n_censored: np.ndarray
    survival: np.ndarray
    var_log_survival: np.ndarray

    @property
    def n(self) -> int:
        return int(self.n_at_risk[0]) if self.n_at_risk.size else 0

    @property
    def total_events(self) -> int:
        return int(self.n_events.sum())


def greenwood_var_log_survival(n_at_risk: np.ndarray, n_events: np.ndarray) -> np.ndarray:
    """Cumulative Greenwood sum d / (n (n - d)): the variance of log S(t) (R: std.err**2)."""
    n = n_at_risk.astype(float)
    d = n_events.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(d > 0, d / (n * (n - d)), 0.0)
    return np.cumsum(terms)


def fit_kaplan_meier(
    time: np.ndarray, event: np.ndarray, count: np.ndarray | None = None
) -> KaplanMeierCurve:
    """Fit the product-limit estimate with lifelines; checked input (see frame.survival_arrays).

    `count` (optional, whole numbers) says how many patients each row stands for, so that
    identical (time, event) rows can be passed once; the estimate is exactly the same.
    An empty input gives a curve with only the time-0 row (nobody at risk).
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=np.int64)
    weights = None if count is None else np.asarray(count, dtype=np.int64)
    n_patients = time.size if weights is None else int(weights.sum())
    if n_patients == 0:
        zero_i = np.zeros(1, dtype=np.int64)
        return KaplanMeierCurve(
            time=np.zeros(1),
            n_at_risk=zero_i,
            n_events=zero_i,
            n_censored=zero_i,
            survival=np.ones(1),
            var_log_survival=np.zeros(1),
        )
    fitter = KaplanMeierFitter().fit(time, event, weights=weights)
    table = fitter.event_table
    times = table.index.to_numpy(dtype=float)
    # Counts are whole numbers (with whole-number weights too); rint guards float sums.
    n_at_risk = np.rint(table["at_risk"].to_numpy(dtype=float)).astype(np.int64)
    n_events = np.rint(table["observed"].to_numpy(dtype=float)).astype(np.int64)
    n_censored = np.rint(table["censored"].to_numpy(dtype=float)).astype(np.int64)
    survival = fitter.survival_function_.iloc[:, 0].to_numpy(dtype=float)
    if times[0] > 0:
        # lifelines starts its survival function at 0 but its event table at the first time.
        times = np.concatenate([[0.0], times])
        n_at_risk = np.concatenate([[n_patients], n_at_risk])
        n_events = np.concatenate([[0], n_events])
        n_censored = np.concatenate([[0], n_censored])
    if survival.size != times.size:
        survival = fitter.survival_function_at_times(times).to_numpy(dtype=float)
    return KaplanMeierCurve(
        time=times,
        n_at_risk=n_at_risk,
        n_events=n_events,
        n_censored=n_censored,
        survival=survival,
        var_log_survival=greenwood_var_log_survival(n_at_risk, n_events),
    )
