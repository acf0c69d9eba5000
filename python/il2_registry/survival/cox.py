"""Cox proportional-hazards model with Efron's ties (R coxph's default), fitted to the maximum.

`fit_cox` maximises the Efron partial log-likelihood by Newton-Raphson (step halving when the
likelihood would fall) until the Newton step is below 1e-10 (relative to the coefficient):
Newton converges quadratically, so the coefficient is then at the maximum to about machine
precision and the score (the gradient) is ~1e-10 or less. R's coxph stops earlier by default
(relative change of the log-likelihood below 1e-9), which leaves its estimate up to ~3e-7
(relative) from the maximum; `coxph.control(eps = 1e-12, toler.chol = 1e-15)` makes R reach
the same point (tests/test_survival_r.py). lifelines' CoxPHFitter stopped further off (6e-4).

`hazard_ratio` is the registry's comparison of one group against another (optionally adjusted
for numeric covariates), with Wald CI and p-value as R's summary(coxph) prints them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

STEP_TOLERANCE = 1e-10
MAX_ITERATIONS = 60
MAX_HALVINGS = 40
# |coefficient| beyond this (hazard ratio beyond e^+-30) means a coefficient running to
# infinity (monotone likelihood, R: "coefficient may be infinite"), not an estimate.
MAX_ABS_COEFFICIENT = 30.0


class CoxFitError(ValueError):
    """The Cox fit did not reach a finite maximum (singular information, no convergence)."""


@dataclass(frozen=True)
class _RiskSets:
    """Rows sorted by time and grouped by distinct time, the structure Efron's sums run over."""

    x: np.ndarray  # (n, p) centred covariates, rows in ascending time
    starts: np.ndarray  # first row of each distinct time
    event_rows: np.ndarray  # positions (in x) of the rows with an event
    event_starts: np.ndarray  # first event row of each distinct time that has an event
    event_times: np.ndarray  # index of the distinct time of each such group
    efron_time: np.ndarray  # one entry per event: its distinct-time index (Efron's l loop)
    efron_fraction: np.ndarray  # one entry per event: l / d for l = 0 .. d - 1


def _risk_sets(time: np.ndarray, event: np.ndarray, x: np.ndarray) -> _RiskSets:
    order = np.argsort(time, kind="mergesort")
    time, event, x = time[order], event[order], x[order]
    x = x - x.mean(axis=0)  # centring (as R does) keeps exp() in range; the slope is unchanged
    distinct, starts = np.unique(time, return_index=True)
    time_index = np.searchsorted(distinct, time)
    event_rows = np.flatnonzero(event == 1)
    event_time_index = time_index[event_rows]
    event_times, event_starts, deaths = np.unique(event_time_index, return_index=True, return_counts=True)
    efron_time = np.repeat(event_times, deaths)
    position_in_tie = np.arange(efron_time.size) - np.repeat(event_starts, deaths)
    efron_fraction = position_in_tie / np.repeat(deaths, deaths)
    return _RiskSets(x, starts, event_rows, event_starts, event_times, efron_time, efron_fraction)


def _reverse_cumsum(values: np.ndarray) -> np.ndarray:
    return np.cumsum(values[::-1], axis=0)[::-1]


def efron_derivatives(risk: _RiskSets, beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Efron partial log-likelihood at `beta`, its gradient (the score) and the information
    matrix (minus the Hessian).

    For each distinct event time with d events, risk-set sums R (everyone with time >= t) and
    event sums E: loglik += sum(x_event . beta) - sum_{l<d} log(R0 - l/d E0); the gradient and
    information follow from the first and second moments R1, E1, R2, E2 the same way.
    """
    x = risk.x
    eta = x @ beta
    weight = np.exp(eta)
    wx = weight[:, None] * x
    wxx = wx[:, :, None] * x[:, None, :]
    r0 = _reverse_cumsum(np.add.reduceat(weight, risk.starts))
    r1 = _reverse_cumsum(np.add.reduceat(wx, risk.starts, axis=0))
    r2 = _reverse_cumsum(np.add.reduceat(wxx, risk.starts, axis=0))
    rows = risk.event_rows
    e0 = np.zeros_like(r0)
    e1 = np.zeros_like(r1)
    e2 = np.zeros_like(r2)
    if rows.size:
        e0[risk.event_times] = np.add.reduceat(weight[rows], risk.event_starts)
        e1[risk.event_times] = np.add.reduceat(wx[rows], risk.event_starts, axis=0)
        e2[risk.event_times] = np.add.reduceat(wxx[rows], risk.event_starts, axis=0)
    k, a = risk.efron_time, risk.efron_fraction
    denominator = r0[k] - a * e0[k]
    mean1 = (r1[k] - a[:, None] * e1[k]) / denominator[:, None]
    mean2 = (r2[k] - a[:, None, None] * e2[k]) / denominator[:, None, None]
    loglik = float(eta[rows].sum() - np.log(denominator).sum())
    score = x[rows].sum(axis=0) - mean1.sum(axis=0)
    information = (mean2 - mean1[:, :, None] * mean1[:, None, :]).sum(axis=0)
    return loglik, score, information


@dataclass(frozen=True)
class CoxFit:
    """The maximum partial-likelihood estimate: coefficients, their covariance (the inverse of
    the information), the log-likelihood and the score at the estimate."""

    coefficients: np.ndarray
    covariance: np.ndarray
    log_likelihood: float
    score: np.ndarray
    iterations: int

    @property
    def standard_errors(self) -> np.ndarray:
        return np.sqrt(np.diag(self.covariance))


def fit_cox(time: np.ndarray, event: np.ndarray, covariates: np.ndarray) -> CoxFit:
    """Fit a Cox model (Efron ties) by Newton-Raphson from 0; raises CoxFitError when there is
    no finite maximum. `covariates`: (n,) or (n, p) numbers, no missing values."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=np.int64)
    x = np.asarray(covariates, dtype=float)
    x = x.reshape(len(x), -1)
    risk = _risk_sets(time, event, x)
    beta = np.zeros(x.shape[1])
    loglik, score, information = efron_derivatives(risk, beta)
    for iteration in range(1, MAX_ITERATIONS + 1):
        try:
            step = np.linalg.solve(information, score)
        except np.linalg.LinAlgError as error:
            raise CoxFitError("the information matrix is singular (a covariate is constant?)") from error
        for _ in range(MAX_HALVINGS):
            candidate = beta + step
            new_loglik, new_score, new_information = efron_derivatives(risk, candidate)
            # A rise, or a fall within rounding of the log-likelihood at the maximum.
            if np.isfinite(new_loglik) and new_loglik >= loglik - 1e-12 * abs(loglik):
                break
            step = step / 2
        else:
            raise CoxFitError("the partial likelihood did not increase along the Newton step")
        beta, loglik, score, information = candidate, new_loglik, new_score, new_information
        if np.abs(beta).max() > MAX_ABS_COEFFICIENT:
            raise CoxFitError("a coefficient runs to infinity (monotone likelihood)")
        if np.abs(step).max() <= STEP_TOLERANCE * max(1.0, float(np.abs(beta).max())):
            try:
                covariance = np.linalg.inv(information)
            except np.linalg.LinAlgError as error:
                raise CoxFitError("the information matrix is singular at the estimate") from error
            return CoxFit(beta, covariance, loglik, score, iteration)
    raise CoxFitError(f"no convergence in {MAX_ITERATIONS} Newton-Raphson iterations")


def wald(coefficient: float, se: float, level: float = 0.95) -> list[float]:
    """[hazard ratio, lower, upper, p]: Wald interval and test, as R's summary(coxph)."""
    z = float(norm.ppf(1 - (1 - level) / 2))
    return [
        math.exp(coefficient),
        math.exp(coefficient - z * se),
        math.exp(coefficient + z * se),
        float(2 * norm.sf(abs(coefficient / se))),
    ]


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
    design = frame.drop(columns=["time", "event"]).to_numpy(dtype=float)
    try:
        fit = fit_cox(frame["time"].to_numpy(), frame["event"].to_numpy(), design)
    except CoxFitError as error:
        return CoxResult(n, n_events, note=f"the Cox fit failed: {error}")
    values = wald(float(fit.coefficients[0]), float(fit.standard_errors[0]), level)
    if not all(math.isfinite(v) for v in values) or values[0] == 0:
        return CoxResult(n, n_events, note="the Cox fit gave a non-finite estimate")
    return CoxResult(n, n_events, *values)


def group_hazard_ratios(
    time: np.ndarray, event: np.ndarray, labels: np.ndarray, level: float = 0.95
) -> pd.DataFrame:
    """Hazard ratio of each group against the first (sorted) one, from one Cox model with a
    0/1 indicator per other group, as R's `coxph(Surv(time, event) ~ factor(group))`.

    One row per non-reference group: group, reference, hazard_ratio, hr_ci_lower, hr_ci_upper,
    p_value, note (why a ratio is missing: a group without events, a failed fit)."""
    labels = np.asarray(labels)
    levels = sorted(pd.unique(labels).tolist(), key=lambda v: (str(type(v)), v))
    columns = ["group", "reference", "hazard_ratio", "hr_ci_lower", "hr_ci_upper", "p_value", "note"]
    if len(levels) < 2:
        return pd.DataFrame(columns=columns)
    reference, others = levels[0], levels[1:]
    event = np.asarray(event, dtype=np.int64)
    empty = [g for g in levels if event[labels == g].sum() == 0]
    rows = [{"group": g, "reference": reference} for g in others]
    if empty:
        note = f"no events in group(s) {', '.join(map(str, empty))}; hazard ratio not estimable"
        return pd.DataFrame([{**row, "note": note} for row in rows], columns=columns)
    design = np.column_stack([(labels == g).astype(float) for g in others])
    try:
        fit = fit_cox(time, event, design)
    except CoxFitError as error:
        failed = [{**row, "note": f"the Cox fit failed: {error}"} for row in rows]
        return pd.DataFrame(failed, columns=columns)
    for row, coefficient, se in zip(rows, fit.coefficients, fit.standard_errors, strict=True):
        ratio, lower, upper, p_value = wald(float(coefficient), float(se), level)
        row.update(hazard_ratio=ratio, hr_ci_lower=lower, hr_ci_upper=upper, p_value=p_value, note=None)
    return pd.DataFrame(rows, columns=columns)
