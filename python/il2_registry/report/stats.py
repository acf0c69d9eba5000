"""Small statistics the report needs beside the warehouse's own estimates."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import beta


@dataclass(frozen=True)
class Proportion:
    """k of n with its exact (Clopper-Pearson) confidence interval, all in percent."""

    k: int
    n: int
    pct: float | None
    ci_lower_pct: float | None
    ci_upper_pct: float | None


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """Exact binomial CI: the beta quantiles, with the closed ends 0 and 1 at k = 0 and k = n."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Proportion(k, n, None, None, None)
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    upper = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return Proportion(k, n, 100.0 * k / n, 100.0 * lower, 100.0 * upper)


def round_half_up(value: float, digits: int = 0) -> float:
    """Round as clinicians and SAS print (2.5 -> 3), not Python's banker's rounding."""
    factor = 10**digits
    # The small nudge absorbs binary representation error (e.g. 0.285 stored as 0.28499...).
    return math.floor(value * factor + 0.5 + 1e-9) / factor
