"""The Kaplan-Meier table: counts per distinct time, time 0, survival and Greenwood sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from il2_registry.survival import SurvivalDataError, fit_kaplan_meier, survival_arrays


def test_table_by_hand():
    # times 2, 2(censored), 3, 5, 5, 8(censored): at 2: 6 at risk, 1 death -> S = 5/6;
    # at 3: 4 at risk, 1 death -> S = 5/6 * 3/4 = 0.625; at 5: 3 at risk, 2 deaths -> 0.625/3;
    # at 8: 1 at risk, censored. Greenwood: 1/(6*5) + 1/(4*3) + 2/(3*1).
    curve = fit_kaplan_meier(np.array([2, 2, 3, 5, 5, 8.0]), np.array([1, 0, 1, 1, 1, 0]))
    assert curve.time.tolist() == [0, 2, 3, 5, 8]
    assert curve.n_at_risk.tolist() == [6, 6, 4, 3, 1]
    assert curve.n_events.tolist() == [0, 1, 1, 2, 0]
    assert curve.n_censored.tolist() == [0, 1, 0, 0, 1]
    np.testing.assert_allclose(curve.survival, [1, 5 / 6, 0.625, 0.625 / 3, 0.625 / 3])
    assert curve.var_log_survival[-1] == pytest.approx(1 / 30 + 1 / 12 + 2 / 3)


def test_events_at_time_zero_stay_on_the_time_zero_row():
    curve = fit_kaplan_meier(np.array([0, 0, 4.0, 6.0]), np.array([1, 0, 1, 0]))
    assert curve.time.tolist() == [0, 4, 6]
    assert (curve.n_at_risk[0], curve.n_events[0], curve.n_censored[0]) == (4, 1, 1)
    assert curve.survival[0] == pytest.approx(0.75)


def test_empty_input_gives_the_time_zero_row_only():
    curve = fit_kaplan_meier(np.array([]), np.array([]))
    assert curve.time.tolist() == [0] and curve.n == 0


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"t": [1.0]}), "column\\(s\\) not found: e"),
        (pd.DataFrame({"t": [1.0, 2.0], "e": [1, 2]}), "must be 0 \\(censored\\) or 1.*row 2: 2"),
        (pd.DataFrame({"t": [1.0, -3.0], "e": [1, 0]}), "must not be negative.*row 2: -3.0"),
        (pd.DataFrame({"t": [1.0, None], "e": [1, 0]}), "must hold a number.*row 2"),
        (pd.DataFrame({"t": [1.0, 2.0], "e": [1, None]}), "must be 0 \\(censored\\) or 1"),
    ],
)
def test_bad_input_is_named(frame, message):
    with pytest.raises(SurvivalDataError, match=message):
        survival_arrays(frame, "t", "e")
