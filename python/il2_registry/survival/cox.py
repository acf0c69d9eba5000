"""Cox proportional-hazards hazard ratio of one group against another (lifelines, Efron ties,
as R's coxph default), optionally adjusted for numeric covariates."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from lifelines.exceptions import ConvergenceError


@dataclass(frozen=True)
class CoxResult:
    """The estimate, or None values and a `note` saying why the ratio is not estimable."""

    n: int
    n_events: int
    hazard_ratio: float | None = None
    hr_ci_lower: float | None = None
    hr_ci_upper: float | None = None
    p_value: float | None = None
    note: str | None = None


def hazard_ratio(
    time: np.ndarray,
    event: np.ndarray,
    exposed: np.ndarray,
    covariates: pd.DataFrame | None = None,
    level: float = 0.95,
) -> CoxResult:
    """Hazard ratio for `exposed` (1) against unexposed (0), Wald CI and p-value.

    Rows with a missing covariate are left out (complete cases). Not estimable (values None,
    `note` set) when a group is empty, when either group has no event (the estimate would be
    0 or infinite: R's coxph warns that the coefficient may be infinite) or when the fit fails.
    """
    frame = pd.DataFrame(
        {
            "time": np.asarray(time, dtype=float),
            "event": np.asarray(event, dtype=np.int64),
            "exposed": np.asarray(exposed, dtype=float),
        }
    )
    if covariates is not None and not covariates.empty:
        frame = pd.concat([frame, covariates.reset_index(drop=True).astype(float)], axis=1).dropna()
    n, n_events = len(frame), int(frame["event"].sum())
    events_by_group = frame.groupby("exposed")["event"].sum()
    if len(events_by_group) < 2:
        return CoxResult(n, n_events, note="a cohort has no patients")
    if (events_by_group == 0).any():
        return CoxResult(n, n_events, note="a cohort has no events; hazard ratio not estimable")
    fitter = CoxPHFitter(alpha=1 - level)
    try:
        with warnings.catch_warnings():
            # lifelines warns on convergence trouble and near-separation; non-finite results
            # and failed fits are caught below and reported in `note`.
            warnings.simplefilter("ignore")
            # Batch mode vectorises Efron's sums over distinct times (whole days here); same
            # estimates as the row-wise mode, about twice as fast on large groups.
            fitter.fit(frame, duration_col="time", event_col="event", batch_mode=True)
    except ConvergenceError:
        return CoxResult(n, n_events, note="the Cox fit did not converge")
    summary = fitter.summary.loc["exposed"]
    lower_col = next(c for c in summary.index if c.startswith("exp(coef) lower"))
    upper_col = next(c for c in summary.index if c.startswith("exp(coef) upper"))
    values = [float(summary[c]) for c in ("exp(coef)", lower_col, upper_col, "p")]
    if not all(math.isfinite(v) for v in values) or values[0] == 0:
        return CoxResult(n, n_events, note="the Cox fit gave a non-finite estimate")
    return CoxResult(n, n_events, *values)
