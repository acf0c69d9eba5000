"""Pointwise bands: the three transforms, their edges, and agreement with lifelines' log-log."""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_waltons

from il2_registry.survival import fit_kaplan_meier, pointwise_ci
from il2_registry.survival.confidence import check_conf_type


def test_three_transforms_by_hand():
    # One step: n = 10, d = 2 -> S = 0.8, Greenwood V = 2/(10*8) = 0.025, se = sqrt(V) = 0.1581139,
    # z = 1.9599640 (worked by hand, 7 digits):
    #  plain:   0.8 -/+ z*0.8*se = 0.8 -/+ 0.2479180          -> (0.5520820, 1 capped from 1.0479)
    #  log:     0.8*exp(-/+ z*se) = 0.8*(0.7335221, 1.3632854) -> (0.5868177, 1 capped from 1.0906)
    #  log-log: log S = -0.2231436, log(-log S) = -1.4999400, z*se/log S = -1.3887810:
    #           lower = exp(-exp(-1.4999400 + 1.3887810)) = exp(-0.8947964) = 0.4086908
    #           upper = exp(-exp(-1.4999400 - 1.3887810)) = exp(-0.0556473) = 0.9458726
    survival = np.array([0.8])
    var = np.array([0.025])
    expected = {"plain": (0.5520820, 1.0), "log": (0.5868177, 1.0), "log-log": (0.4086908, 0.9458726)}
    for conf_type, (lo, up) in expected.items():
        lower, upper = pointwise_ci(survival, var, conf_type)
        assert lower[0] == pytest.approx(lo, abs=1e-7), conf_type
        assert upper[0] == pytest.approx(up, abs=1e-7), conf_type


def test_edges_survival_one_and_zero():
    lower, upper = pointwise_ci(np.array([1.0, 0.0]), np.array([0.0, np.inf]), "log-log")
    assert (lower[0], upper[0]) == (1.0, 1.0)
    assert np.isnan(lower[1]) and np.isnan(upper[1])


def test_log_log_band_equals_lifelines_band():
    # lifelines computes its own (log-log) band independently; both must agree on every time.
    frame = load_waltons()
    fitter = KaplanMeierFitter().fit(frame["T"], frame["E"])
    curve = fit_kaplan_meier(frame["T"].to_numpy(), frame["E"].to_numpy())
    lower, upper = pointwise_ci(curve.survival, curve.var_log_survival, "log-log")
    theirs = fitter.confidence_interval_.loc[curve.time]
    inside = (curve.survival > 0) & (curve.survival < 1)
    np.testing.assert_allclose(lower[inside], theirs.iloc[:, 0].to_numpy()[inside], rtol=1e-9)
    np.testing.assert_allclose(upper[inside], theirs.iloc[:, 1].to_numpy()[inside], rtol=1e-9)


def test_unknown_conf_type_is_refused():
    with pytest.raises(ValueError, match="log-log, log, plain"):
        check_conf_type("arcsine")
