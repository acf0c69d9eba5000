"""The mart tables built from a marts.survival-shaped frame, checked against hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from il2_registry.survival.tables import (
    DAYS_PER_MONTH,
    cox_models,
    km_curves,
    km_summary,
    logrank_tests,
    parse_covariates,
)


def _survival_frame() -> pd.DataFrame:
    # mM OS: prior_icb deaths at days 30, 60, 90, 120 (S = 0.75, 0.5, 0.25, 0, so the median
    # is the midpoint of the flat at 0.5: (60 + 90) / 2 days); il2_alone: deaths at 10, 20,
    # censored at 200, 300 (S = 0.75, 0.5 then flat to the end: median (20 + 300) / 2 days).
    rows = [
        ("p1", "prior_icb", 30, 1),
        ("p2", "prior_icb", 60, 1),
        ("p3", "prior_icb", 90, 1),
        ("p4", "prior_icb", 120, 1),
        ("a1", "il2_alone", 10, 1),
        ("a2", "il2_alone", 20, 1),
        ("a3", "il2_alone", 200, 0),
        ("a4", "il2_alone", 300, 0),
    ]
    frame = pd.DataFrame(rows, columns=["patient_id", "cohort", "time_days", "event"])
    frame["disease"] = "mM"
    frame["endpoint"] = "OS"
    frame["time_months"] = frame["time_days"] / DAYS_PER_MONTH
    return frame


def test_curves_have_time_zero_and_one_row_per_distinct_time():
    curves = km_curves(_survival_frame(), "log-log")
    prior = curves[curves["cohort"] == "prior_icb"]
    assert prior["time_months"].tolist() == pytest.approx(np.array([0, 30, 60, 90, 120]) / DAYS_PER_MONTH)
    assert prior["n_at_risk"].tolist() == [4, 4, 3, 2, 1]
    assert prior["survival"].tolist() == pytest.approx([1, 0.75, 0.5, 0.25, 0])
    assert set(curves["conf_type"]) == {"log-log"}
    # Only the groups with patients get curves.
    assert set(zip(curves["disease"], curves["cohort"], curves["endpoint"], strict=True)) == {
        ("mM", "prior_icb", "OS"),
        ("mM", "il2_alone", "OS"),
    }


def test_summary_medians_follow_the_midpoint_rule_and_cover_every_group():
    curves = km_curves(_survival_frame(), "log")
    summary = km_summary(curves, "log").set_index(["disease", "cohort", "endpoint"])
    assert len(summary) == 2 * 2 * 3
    prior = summary.loc[("mM", "prior_icb", "OS")]
    assert (prior["n"], prior["n_events"]) == (4, 4)
    assert prior["median_months"] == pytest.approx(75 / DAYS_PER_MONTH)
    alone = summary.loc[("mM", "il2_alone", "OS")]
    assert alone["median_months"] == pytest.approx(160 / DAYS_PER_MONTH)
    empty = summary.loc[("mRCC", "prior_icb", "PFS")]
    assert empty["n"] == 0 and np.isnan(empty["median_months"])


def test_logrank_and_cox_rows_per_disease_and_endpoint():
    frame = _survival_frame()
    tests = logrank_tests(frame).set_index(["disease", "endpoint"])
    assert len(tests) == 6
    row = tests.loc[("mM", "OS")]
    assert (row["n_prior_icb"], row["n_il2_alone"], row["df"]) == (4, 4, 1)
    assert 0 < row["p_value"] < 1
    assert tests.loc[("mRCC", "OS")][["chi_square", "p_value"]].isna().all()
    cox = cox_models(frame).set_index(["disease", "endpoint"])
    assert cox.loc[("mM", "OS")]["hazard_ratio"] > 1  # prior_icb deaths all come earlier
    assert cox.loc[("mM", "OS")]["covariates"] == "none"
    assert np.isnan(cox.loc[("mRCC", "OS")]["hazard_ratio"])
    assert cox.loc[("mRCC", "OS")]["note"] == "no patients"
    assert cox.loc[("mM", "OS")]["note"] is None


def test_cox_not_estimable_when_a_cohort_has_no_events():
    # Censor every prior_icb patient: the partial likelihood increases without bound as the
    # hazard ratio goes to 0 (R's coxph warns "coefficient may be infinite"); report null.
    frame = _survival_frame()
    frame.loc[frame["cohort"] == "prior_icb", "event"] = 0
    row = cox_models(frame).set_index(["disease", "endpoint"]).loc[("mM", "OS")]
    assert np.isnan(row["hazard_ratio"]) and np.isnan(row["p_value"])
    assert row["note"] == "a cohort has no events; hazard ratio not estimable"
    assert (row["n"], row["n_events"]) == (8, 2)


def test_counted_rows_give_exactly_the_per_patient_results():
    # The dbt models pass rows counted in DuckDB (n_patients per group, day and event flag).
    frame = pd.concat([_survival_frame()] * 3, ignore_index=True)
    keys = ["disease", "cohort", "endpoint", "time_days", "event"]
    counted = frame.groupby(keys).size().rename("n_patients").reset_index()
    pd.testing.assert_frame_equal(km_curves(frame, "log-log"), km_curves(counted, "log-log"))
    pd.testing.assert_frame_equal(logrank_tests(frame), logrank_tests(counted))
    with pytest.raises(ValueError, match="one row per patient"):
        cox_models(counted)


def test_bad_survival_rows_stop_the_step_with_the_group_named():
    frame = _survival_frame()
    frame.loc[2, "event"] = 2
    with pytest.raises(
        ValueError, match=r"marts.survival \(disease=mM, cohort=prior_icb, endpoint=OS\).*0 \(censored\) or 1"
    ):
        km_curves(frame, "log")


def test_unknown_codes_are_refused_not_dropped():
    frame = _survival_frame()
    frame.loc[0, "cohort"] = "other"
    with pytest.raises(ValueError, match="cohort must be one of prior_icb, il2_alone; found other"):
        km_curves(frame, "log")
    with pytest.raises(ValueError, match="found other"):
        logrank_tests(frame)


def test_cox_covariates_must_exist():
    patients = pd.DataFrame({"patient_id": ["p1"], "age_at_day1": [50]})
    with pytest.raises(ValueError, match="not found in the patient table: ecog"):
        cox_models(_survival_frame(), patients, ["ecog"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", []), ("age_at_day1, ecog", ["age_at_day1", "ecog"]), ("['ecog']", ["ecog"]), (["ecog"], ["ecog"])],
)
def test_parse_covariates(text, expected):
    assert parse_covariates(text) == expected


def test_cox_models_do_not_depend_on_row_order() -> None:
    # A database scan returns marts.survival in an order that varies with parallelism; two
    # builds of one extract must still give bit-identical hazard ratios (refresh determinism).
    rng = np.random.default_rng(7)
    n = 5000
    survival = pd.DataFrame(
        {
            "disease": rng.choice(["mM", "mRCC"], n),
            "cohort": rng.choice(["prior_icb", "il2_alone"], n),
            "endpoint": rng.choice(["OS", "PFS"], n),
            "time_days": rng.integers(1, 900, n),
            "event": rng.integers(0, 2, n),
        }
    )
    fits = [cox_models(survival.sample(frac=1, random_state=seed)) for seed in range(6)]
    numeric = [c for c in fits[0].columns if fits[0][c].dtype.kind == "f"]
    for fit in fits[1:]:
        pd.testing.assert_frame_equal(fit[numeric], fits[0][numeric], check_exact=True)
