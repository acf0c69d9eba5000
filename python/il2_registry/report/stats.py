"""Rounding as the paper prints figures (the statistics themselves are the warehouse's)."""

from __future__ import annotations

import math


def round_half_up(value: float, digits: int = 0) -> float:
    """Round as clinicians and SAS print (2.5 -> 3), not Python's banker's rounding."""
    factor = 10**digits
    # The small nudge absorbs binary representation error (e.g. 0.285 stored as 0.28499...).
    return math.floor(value * factor + 0.5 + 1e-9) / factor
