"""Small exact-fitting helpers: integer values with a given mean, minimum, maximum (and SD).

The paper publishes figures to one decimal; these helpers make lists of per-patient values
(days, U/L, doses) that give those figures exactly, whatever the random draws around them.
"""

from __future__ import annotations

import numpy as np

DAYS_PER_MONTH = 30.4375


def months_to_days(months: float) -> int:
    return int(round(months * DAYS_PER_MONTH))


def fit_integers(
    rng: np.random.Generator, n: int, *, mean: float, low: int, high: int, spread: float = 0.6
) -> np.ndarray:
    """n integers with min `low`, max `high` and sum round(mean * n), in random order.

    The inner values start from a right-skewed draw (clinical times and LDH are skewed) and
    are nudged one unit at a time, within [low, high], until the sum is exact.
    """
    if n < 3:
        raise ValueError("need at least 3 values")
    target = int(round(mean * n))
    inner = low + (high - low) * rng.beta(1.0 + spread, 3.0, n - 2)
    inner = np.clip(np.round(inner * (target - low - high) / max(inner.sum(), 1e-9)), low, high).astype(
        np.int64
    )
    values = np.concatenate([[low, high], inner])
    diff = target - values.sum()
    order = rng.permutation(np.arange(2, n))
    i = 0
    guard = 0
    while diff != 0:
        k = order[i % len(order)]
        step = 1 if diff > 0 else -1
        if low <= values[k] + step <= high:
            values[k] += step
            diff -= step
        i += 1
        guard += 1
        if guard > 10_000_000:
            raise ValueError("cannot reach the requested mean within the bounds")
    return values[rng.permutation(n)]


def fit_counts(
    rng: np.random.Generator, n: int, *, mean: float, sd: float, low: int, high: int, tolerance: float = 0.015
) -> np.ndarray:
    """n integers in [low, high] whose mean and sample SD are within `tolerance` of the targets."""
    for _ in range(100_000):
        values = np.clip(np.round(rng.normal(mean, sd * 1.05, n)), low, high).astype(np.int64)
        target_sum = int(round(mean * n))
        diff = target_sum - values.sum()
        idx = rng.permutation(n)
        for k in idx:
            if diff == 0:
                break
            step = 1 if diff > 0 else -1
            if low <= values[k] + step <= high:
                values[k] += step
                diff -= step
        if diff == 0 and abs(values.std(ddof=1) - sd) < tolerance and abs(values.mean() - mean) < tolerance:
            return values
    raise ValueError("could not fit counts")


def km_median(days: np.ndarray, events: np.ndarray) -> float:
    """Kaplan-Meier median in days (smallest time where S <= 0.5; inf when not reached).

    Same convention as lifelines' `median_survival_time_`; numpy only, for calibration loops.
    """
    days = np.asarray(days, dtype=np.int64)
    events = np.asarray(events, dtype=np.int64)
    times, inverse = np.unique(days, return_inverse=True)
    deaths = np.bincount(inverse, weights=events, minlength=len(times))
    leaving = np.bincount(inverse, minlength=len(times))
    at_risk = len(days) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    survival = np.cumprod(1.0 - deaths / at_risk)
    below = np.nonzero(survival <= 0.5 + 1e-12)[0]
    return float(times[below[0]]) if len(below) else float("inf")


def km_touches_half(days: np.ndarray, events: np.ndarray) -> bool:
    days = np.asarray(days, dtype=np.int64)
    events = np.asarray(events, dtype=np.int64)
    times, inverse = np.unique(days, return_inverse=True)
    deaths = np.bincount(inverse, weights=events, minlength=len(times))
    leaving = np.bincount(inverse, minlength=len(times))
    at_risk = len(days) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    survival = np.cumprod(1.0 - deaths / at_risk)
    return bool(np.any(np.abs(survival - 0.5) < 1e-12))


def solve_scale(evaluate, target: float, *, start: float, low: float, high: float, tolerance: float) -> float:
    """Find a scale whose (non-decreasing, step-shaped) median is within `tolerance` of target.

    Proportional steps while no bracket is known, then geometric bisection.
    """
    scale = start
    lo, hi = low, high
    best, best_err = start, float("inf")
    for _ in range(60):
        value = evaluate(scale)
        err = abs(value - target)
        if err < best_err:
            best, best_err = scale, err
        if err <= tolerance:
            return scale
        if value < target:
            lo = max(lo, scale)
        else:
            hi = min(hi, scale)
        proposal = scale * (target / value if np.isfinite(value) and value > 0 else 0.5)
        scale = proposal if lo < proposal < hi else float(np.sqrt(lo * hi))
    raise CalibrationError(f"calibration did not converge (best scale {best:.3f}, error {best_err:.3f})")


class CalibrationError(ValueError):
    """The median steps over the target for these draws (the caller retries with other draws)."""
