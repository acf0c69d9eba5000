"""The Cox fit reaches the maximum of Efron's partial likelihood, and equals R's coxph there.

The score is checked with a plain loop over event times written here from the textbook
formula (Efron 1977; Therneau and Grambsch 2000, section 3.3), independent of the vectorised
code in il2_registry.survival.cox. R reference values were printed by R 4.2 / survival 3.5-3:

    library(survival)
    tight <- coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)
    s <- summary(coxph(Surv(time, status) ~ sex, data = lung, ties = "efron", control = tight))
    sprintf("%.15g", c(s$coefficients[, 2], s$conf.int[, 3:4], s$coefficients[, 5]))

(and the same with `~ sex + age`, and with R's default control). tests/test_survival_r.py
runs R itself on the same data and on the paper warehouse.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifelines.datasets import load_lung

from il2_registry.survival.cox import CoxFitError, fit_cox, hazard_ratio


def naive_efron(time, event, x, beta):
    """Efron log-likelihood and score by loops: for each distinct event time with deaths D,
    loglik += sum_D x.b - sum_{l<d} log(R - l/d E), score += sum_D x - sum_l (R1 - l/d E1)/(R - l/d E)."""
    loglik, score = 0.0, np.zeros(x.shape[1])
    for t in np.unique(time[event == 1]):
        at_risk = time >= t
        dead = (time == t) & (event == 1)
        risk = np.exp(x @ beta)
        r0, r1 = risk[at_risk].sum(), (risk[at_risk, None] * x[at_risk]).sum(axis=0)
        e0, e1 = risk[dead].sum(), (risk[dead, None] * x[dead]).sum(axis=0)
        d = int(dead.sum())
        loglik += float((x[dead] @ beta).sum())
        score += x[dead].sum(axis=0)
        for el in range(d):
            denominator = r0 - el / d * e0
            loglik -= math.log(denominator)
            score -= (r1 - el / d * e1) / denominator
    return loglik, score


@pytest.fixture(scope="module")
def lung():
    frame = load_lung()  # lifelines codes status 1 = death (R: 2)
    return frame["time"].to_numpy(float), frame["status"].to_numpy(int), frame


def test_naive_score_is_the_gradient_of_the_naive_loglik(lung):
    # Guards the reference itself: central differences of the loop log-likelihood.
    time, event, frame = lung
    x = frame[["sex", "age"]].to_numpy(float)
    beta, h = np.array([-0.4, 0.02]), 1e-6
    _, score = naive_efron(time, event, x, beta)
    for j in range(2):
        up, down = beta.copy(), beta.copy()
        up[j] += h
        down[j] -= h
        numeric = (naive_efron(time, event, x, up)[0] - naive_efron(time, event, x, down)[0]) / (2 * h)
        assert numeric == pytest.approx(score[j], rel=1e-6)


@pytest.mark.parametrize("columns", [["sex"], ["sex", "age"]])
def test_score_at_the_estimate_is_zero(lung, columns):
    time, event, frame = lung
    x = frame[columns].to_numpy(float)
    fit = fit_cox(time, event, x)
    loglik, score = naive_efron(time, event, x, fit.coefficients)
    # The log-likelihood is about -740 and its gradient at R's default stop is ~1e-5 (sex);
    # at the maximum it is rounding noise.
    assert np.abs(score).max() < 1e-9
    assert np.abs(fit.score).max() < 1e-9
    assert fit.log_likelihood == pytest.approx(loglik, rel=1e-12)


def test_r_default_stop_is_short_of_the_maximum(lung):
    # R default (eps 1e-9): HR 0.588002818563588; converged: 0.588002817160461 (see module doc).
    time, event, frame = lung
    x = frame[["sex"]].to_numpy(float)
    fit = fit_cox(time, event, x)
    at_r_default = np.array([math.log(0.588002818563588)])
    # The log-likelihoods differ by ~1e-12 there (below rounding); the score shows the gap.
    ours = abs(naive_efron(time, event, x, fit.coefficients)[1][0])
    r_default = abs(naive_efron(time, event, x, at_r_default)[1][0])
    assert r_default > 1e-8 and ours < r_default / 1000


def test_hazard_ratio_equals_r_converged_to_1e8(lung):
    time, event, frame = lung
    female = (frame["sex"] == 2).astype(int).to_numpy()  # sex 1 male, 2 female: one unit = female
    r_sex = (0.588002817160461, 0.423717829284342, 0.815984811336838, 0.00149122913837658)
    got = hazard_ratio(time, event, female)
    values = (got.hazard_ratio, got.hr_ci_lower, got.hr_ci_upper, got.p_value)
    assert values == pytest.approx(r_sex, rel=1e-8)
    r_sex_age = (0.598565978774024, 0.431093577560292, 0.831098512237977, 0.00217844493879888)
    got = hazard_ratio(time, event, female, frame[["age"]])
    values = (got.hazard_ratio, got.hr_ci_lower, got.hr_ci_upper, got.p_value)
    assert values == pytest.approx(r_sex_age, rel=1e-8)
    assert got.n == 228


def test_ties_follow_efron_not_breslow():
    # Two deaths tied at t = 1 (one per group), one censored per group later. Breslow and
    # Efron differ only when deaths tie; with beta = 0 the Efron term is
    # log(4) + log(4 - 1/2 * 2) = log 4 + log 3, Breslow 2 log 4.
    time = np.array([1.0, 1.0, 2.0, 3.0])
    event = np.array([1, 1, 0, 0])
    x = np.array([[1.0], [0.0], [1.0], [0.0]])
    loglik, _ = naive_efron(time, event, x, np.zeros(1))
    assert loglik == pytest.approx(-(math.log(4) + math.log(3)))
    fit = fit_cox(time, event, x)
    # Symmetric groups: the maximum is at beta = 0 exactly.
    assert abs(fit.coefficients[0]) < 1e-12


def test_monotone_likelihood_is_not_an_estimate():
    # Every death in the exposed group before any unexposed death would make the HR infinite
    # only if unexposed had no events; here exposed dies at 1, 2, unexposed is censored at 3
    # and dies at 4 after every exposed left: the likelihood keeps rising as beta grows.
    time = np.array([1.0, 2.0, 3.0, 4.0])
    event = np.array([1, 1, 0, 1])
    x = np.array([1.0, 1.0, 0.0, 0.0])
    with pytest.raises(CoxFitError, match="infinity"):
        fit_cox(time, event, x)
    assert hazard_ratio(time, event, x.astype(int)).note.startswith("the Cox fit failed")
