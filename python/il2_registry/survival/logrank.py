"""The log-rank test between groups (lifelines; the statistic of R's survdiff with rho = 0)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from lifelines.statistics import multivariate_logrank_test


@dataclass(frozen=True)
class LogRankResult:
    chi_square: float
    df: int
    p_value: float


def logrank(
    time: np.ndarray, event: np.ndarray, group: np.ndarray, count: np.ndarray | None = None
) -> LogRankResult | None:
    """Log-rank chi-square over the distinct groups; None when fewer than two groups have data
    or no event happened (the test is undefined). `count`: patients per row (whole numbers;
    the statistic is then exactly that of the expanded data)."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=np.int64)
    group = np.asarray(group)
    if count is not None:
        count = np.asarray(count, dtype=np.int64)
        keep = count > 0
        time, event, group, count = time[keep], event[keep], group[keep], count[keep]
    if np.unique(group).size < 2 or event.sum() == 0:
        return None
    result = multivariate_logrank_test(time, group, event, weights=count)
    return LogRankResult(
        chi_square=float(result.test_statistic),
        df=int(result.degrees_of_freedom),
        p_value=float(result.p_value),
    )
