"""Quantile and median conventions (R quantile.survfit), including curves exactly at 0.5."""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter

from il2_registry.survival import fit_kaplan_meier, median_with_ci, pointwise_ci, survival_quantile

# R survival package, tests/quantile.R ("Formal test of the quantile routine for survfit",
# github.com/therneau/survival): test1 below with the NA-status row dropped, as R does.
# Its overall curve is S = 6/7 after t=1, 18/35 after t=6, 9/35 after t=9 (censored at 1, 8, 10).
R_TEST1_TIME = np.array([9, 1, 1, 6, 6, 8, 10], dtype=float)
R_TEST1_STATUS = np.array([1, 1, 0, 1, 1, 0, 0])
R_TEST1_X = np.array([0, 1, 1, 1, 0, 0, 0])
# R's probs = 1 - qq, qq = c(13/14, 6/7, 2/3, .5, 9/35, .1)
R_PROBS = [1 / 14, 1 / 7, 1 / 3, 0.5, 26 / 35, 0.9]


def _quantiles(curve, conf_type="log"):
    lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, conf_type)
    return (
        [survival_quantile(curve.time, curve.survival, p) for p in R_PROBS],
        [survival_quantile(curve.time, lower, p) for p in R_PROBS],
        [survival_quantile(curve.time, upper, p) for p in R_PROBS],
    )


def test_r_quantile_test_overall_curve():
    # quantile.R: quantile = c(1, 3.5, 6, 9, 9.5, NA), lower = c(1,1,1,6,6,9), upper = all NA.
    # 3.5 is the midpoint of the flat S = 6/7 on [1, 6); 9.5 the midpoint of the final flat
    # S = 9/35 from 9 to the last follow-up time 10.
    curve = fit_kaplan_meier(R_TEST1_TIME, R_TEST1_STATUS)
    quantile, lower, upper = _quantiles(curve)
    assert quantile == [1, 3.5, 6, 9, 9.5, None]
    assert lower == [1, 1, 1, 6, 6, 9]
    assert upper == [None] * 6


@pytest.mark.parametrize(
    ("x", "quantile", "lower"),
    [
        # quantile.R, strata: curve 0 quantile c(6,6,9,9,NA,NA), lower c(6,6,6,6,9,9);
        # curve 1 quantile c(1,1,3.5,6,6,6), lower c(1,1,1,1,NA,NA); upper all NA.
        (0, [6, 6, 9, 9, None, None], [6, 6, 6, 6, 9, 9]),
        (1, [1, 1, 3.5, 6, 6, 6], [1, 1, 1, 1, None, None]),
    ],
)
def test_r_quantile_test_strata(x, quantile, lower):
    keep = R_TEST1_X == x
    curve = fit_kaplan_meier(R_TEST1_TIME[keep], R_TEST1_STATUS[keep])
    got_quantile, got_lower, got_upper = _quantiles(curve)
    assert got_quantile == quantile
    assert got_lower == lower
    assert got_upper == [None] * 6


def test_median_exactly_half_over_an_interval_is_the_midpoint():
    # Derived by hand with R's rule (quantile.survfit: "the median of the flat"): four deaths
    # at 1, 2, 3, 4 give S = 3/4, 1/2, 1/4, 0, so S = 0.5 exactly on [2, 3): median (2+3)/2.
    # lifelines answers the left end, 2.
    time = np.array([1.0, 2.0, 3.0, 4.0])
    event = np.ones(4, dtype=int)
    curve = fit_kaplan_meier(time, event)
    assert median_with_ci(curve, "log").median == 2.5
    assert median_with_ci(curve, "log-log").median == 2.5
    assert KaplanMeierFitter().fit(time, event).median_survival_time_ == 2.0


def test_median_limits_when_the_curve_sits_at_half():
    # Same data (deaths at 1, 2, 3, 4), limits worked by hand to 4 digits, z = 1.96:
    #  Greenwood V = 1/12, 1/12 + 1/6 = 1/4, 1/4 + 1/2 = 3/4 at t = 1, 2, 3; undefined at 4 (S = 0).
    #  log:     lower(1) = 0.75 exp(-z sqrt(1/12)) = 0.75 * 0.5679 = 0.4259 <= 0.5 -> lower limit 1;
    #           upper = min(1, S exp(z sqrt V)) = 1, 1, 1 at t = 1, 2, 3 -> never <= 0.5: NA.
    #  log-log: lower(1) = exp(-exp(log(0.2877) + z*0.2887/0.2877)) = exp(-2.0562) = 0.1279 -> 1;
    #           upper(2) = exp(-exp(log(0.6931) - z*0.5/0.6931)) = exp(-0.1686) = 0.8449,
    #           upper(3) = exp(-exp(log(1.3863) - z*0.8660/1.3863)) = exp(-0.4075) = 0.6653,
    #           never <= 0.5 -> NA. By R's rule the limits are 1 and NA for both transforms.
    curve = fit_kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4, dtype=int))
    log_lower, _ = pointwise_ci(curve.survival, curve.var_log_survival, "log")
    ll_lower, ll_upper = pointwise_ci(curve.survival, curve.var_log_survival, "log-log")
    assert log_lower[1] == pytest.approx(0.4259, abs=1e-4)
    assert ll_lower[1] == pytest.approx(0.1279, abs=1e-4)
    assert ll_upper[2:4] == pytest.approx([0.8449, 0.6653], abs=1e-4)
    for conf_type in ("log", "log-log"):
        estimate = median_with_ci(curve, conf_type)
        assert (estimate.median, estimate.ci_lower, estimate.ci_upper) == (2.5, 1.0, None)


def test_median_flat_at_half_until_last_follow_up():
    # By hand, R's end-of-curve rule: deaths at 1, 2, censored at 3, 4: S = 1/2 from 2 to the
    # last follow-up 4 and never lower, so median = (2 + 4) / 2 = 3.
    curve = fit_kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 1, 0, 0]))
    assert median_with_ci(curve, "log").median == 3.0


def test_median_not_reached_is_none():
    curve = fit_kaplan_meier(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 0, 0]))
    estimate = median_with_ci(curve, "log-log")
    assert estimate.median is None and estimate.ci_upper is None


def test_median_ci_band_exactly_at_half_uses_the_midpoint_too():
    # The limits follow the same rule as the median: a band that is 0.5 on [2, 5) gives 3.5.
    time = np.array([0.0, 1.0, 2.0, 5.0, 7.0])
    band = np.array([1.0, 0.8, 0.5, 0.3, 0.3])
    assert survival_quantile(time, band) == 3.5


def test_median_ci_log_log_by_hand():
    # R's quantile.R data, overall curve, log-log band (R's log band gives lower 6, see above).
    # By hand, z = 1.959964:
    #  t=1: S = 6/7, Greenwood V = 1/(7*6) = 0.0238095, se = 0.154303, log S = -0.154151,
    #       lower = exp(-exp(log(0.154151) + z*se/0.154151)) = exp(-exp(-1.869823 + 1.961897))
    #             = exp(-1.096446) = 0.33405 <= 0.5, so the lower limit of the median is 1.
    #  t=9: S = 9/35, V = 1/42 + 2/(5*3) + 1/(2*1) = 0.657143, se = 0.810644, log S = -1.358123,
    #       upper = exp(-exp(log(1.358123) - z*se/1.358123)) = exp(-exp(0.306092 - 1.169875))
    #             = exp(-0.421566) = 0.65602 > 0.5, and no later time: upper limit not reached.
    curve = fit_kaplan_meier(R_TEST1_TIME, R_TEST1_STATUS)
    lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, "log-log")
    assert lower[curve.time == 1][0] == pytest.approx(0.33405, abs=1e-5)
    assert upper[curve.time == 9][0] == pytest.approx(0.65602, abs=1e-5)
    estimate = median_with_ci(curve, "log-log")
    assert (estimate.median, estimate.ci_lower, estimate.ci_upper) == (9, 1, None)
