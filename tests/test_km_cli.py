"""`il2reg km` as an analyst runs it: CSV or SQL in, a table or one JSON object out."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from lifelines.datasets import load_lung

from conftest import il2reg


@pytest.fixture(scope="module")
def lung_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("km") / "lung.csv"
    load_lung().to_csv(path, index=False)
    return path


def test_json_by_group_matches_r(lung_csv):
    # R (published output, see test_survival_reference.py): survfit(Surv(time, status) ~ sex,
    # lung): sex=1 270 (212, 310), sex=2 426 (348, 550); survdiff: Chisq = 10.3, p = 0.00131.
    result = il2reg(
        "km", "--csv", str(lung_csv), "--time", "time", "--event", "status",
        "--group", "sex", "--conf-type", "log", "--json",
    )  # fmt: skip
    payload = json.loads(result.stdout)
    assert payload["conf_type"] == "log"
    assert payload["groups"] == [
        {
            "group": 1,
            "n": 138,
            "events": 112,
            "median": 270.0,
            "median_ci_lower": 212.0,
            "median_ci_upper": 310.0,
        },
        {
            "group": 2,
            "n": 90,
            "events": 53,
            "median": 426.0,
            "median_ci_lower": 348.0,
            "median_ci_upper": 550.0,
        },
    ]
    assert payload["logrank"]["df"] == 1
    assert round(payload["logrank"]["chi_square"], 1) == 10.3
    assert round(payload["logrank"]["p_value"], 5) == 0.00131


def test_json_without_group_has_null_group_and_no_test(tmp_path):
    # Deaths at 1, 2; censored at 3, 4: S = 0.5 from 2 to the end, median (2 + 4) / 2 = 3 (R's
    # rule, by hand); the upper band never reaches 0.5, so the upper limit is null.
    path = tmp_path / "flat.csv"
    pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 0, 0]}).to_csv(path, index=False)
    payload = json.loads(il2reg("km", "--csv", str(path), "--time", "t", "--event", "e", "--json").stdout)
    assert payload["logrank"] is None
    (group,) = payload["groups"]
    assert group["group"] is None and group["median"] == 3.0 and group["median_ci_upper"] is None


def test_table_output_names_groups_and_test(lung_csv):
    out = il2reg("km", "--csv", str(lung_csv), "--time", "time", "--event", "status", "--group", "sex").stdout
    assert "log-log transform" in out
    assert "270.00" in out and "(210.00, 306.00)" in out  # R log-log: 270 (210, 306)
    assert "log-rank: chi-square 10.327 on 1 df" in out


def test_sql_reads_the_published_warehouse(tmp_path, monkeypatch):
    warehouse = tmp_path / "wh.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.survival as select * from (values "
            "(1.0, 1, 'a'), (2.0, 1, 'a'), (3.0, 1, 'a'), (4.0, 1, 'a')) t(time_months, event, cohort)"
        )
    monkeypatch.setenv("IL2_WAREHOUSE", str(warehouse))
    result = il2reg(
        "km", "--sql", "select * from marts.survival", "--time", "time_months", "--event", "event", "--json"
    )
    # Four deaths at 1..4: S = 0.5 on [2, 3), median 2.5 (R's midpoint rule, by hand).
    assert json.loads(result.stdout)["groups"][0]["median"] == 2.5


@pytest.mark.parametrize(
    ("frame", "args", "message"),
    [
        (pd.DataFrame({"t": [1], "e": [1]}), ["--time", "days", "--event", "e"], "column(s) not found: days"),
        (
            pd.DataFrame({"t": [1, 2], "e": [1, 3]}),
            ["--time", "t", "--event", "e"],
            "must be 0 (censored) or 1",
        ),
        (pd.DataFrame({"t": [1, -2], "e": [1, 0]}), ["--time", "t", "--event", "e"], "must not be negative"),
        (
            pd.DataFrame({"t": [1], "e": [1]}),
            ["--time", "t", "--event", "e", "--conf-type", "logit"],
            "--conf-type",
        ),
    ],
)
def test_clear_errors(tmp_path, frame, args, message):
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    result = il2reg("km", "--csv", str(path), *args, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_needs_exactly_one_source():
    result = il2reg("km", "--time", "t", "--event", "e", check=False)
    assert result.returncode == 2 and "exactly one of --sql or --csv" in result.stderr


def test_empty_selection_is_an_error(tmp_path, monkeypatch):
    # The issue: `where disease = 'MM'` (no such code) printed an empty table and exited 0.
    warehouse = tmp_path / "wh.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.survival as select 1.0 as time_months, 1 as event, 'mM' as disease")
    monkeypatch.setenv("IL2_WAREHOUSE", str(warehouse))
    result = il2reg(
        "km", "--sql", "select * from marts.survival where disease = 'MM'",
        "--time", "time_months", "--event", "event", check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "the selection has no rows" in result.stderr and result.stdout == ""


def test_undefined_limit_prints_na(tmp_path):
    # Deaths at 1, 2; censored at 3, 4 (as above): the upper limit is never reached -> NA, as R.
    path = tmp_path / "flat.csv"
    pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 1, 0, 0]}).to_csv(path, index=False)
    out = il2reg("km", "--csv", str(path), "--time", "t", "--event", "e").stdout
    assert "3.00" in out and ", NA)" in out and "NR" not in out


def test_times_at_risk_and_cox_in_the_table(lung_csv):
    out = il2reg(
        "km", "--csv", str(lung_csv), "--time", "time", "--event", "status", "--group", "sex",
        "--times", "0,365", "--at-risk", "--cox",
    ).stdout  # fmt: skip
    # R summary(survfit(Surv(time, status) ~ sex, lung), times = c(0, 365)): n.risk 138 and 35
    # (sex=1), 90 and 30 (sex=2); at 0 these are the group sizes.
    at_risk = out[out.index("number at risk:") :].splitlines()
    assert at_risk[1].split() == ["time", "0", "365"]
    assert at_risk[2].split() == ["1", "138", "35"]
    assert at_risk[3].split() == ["2", "90", "30"]
    # R: coxph(Surv(time, status) ~ sex, lung): exp(coef) 0.588 (0.4237, 0.816), p 0.00149.
    assert "2 vs 1: HR 0.5880 (0.4237, 0.8160); p = 0.001491" in out


def test_at_risk_without_times_uses_a_round_grid(lung_csv):
    payload = json.loads(
        il2reg(
            "km", "--csv", str(lung_csv), "--time", "time", "--event", "status", "--at-risk", "--json"
        ).stdout
    )
    # lung follow-up ends at day 1022: steps of 200 (1022 / 8 = 128 -> the next round step).
    assert [row["time"] for row in payload["at_times"]] == [0, 200, 400, 600, 800, 1000]
    assert payload["at_times"][0]["n_at_risk"] == 228


def test_cox_needs_a_group(lung_csv):
    result = il2reg("km", "--csv", str(lung_csv), "--time", "time", "--event", "status", "--cox", check=False)
    assert result.returncode == 2 and "--cox compares groups" in result.stderr
