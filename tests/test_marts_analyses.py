"""The paper marts' statistics against reference implementations.

`models/marts/paper/objective_response.sql` (marts.objective_response, which
`analyses/objective_response_rate.sql` and the report read) computes the exact Clopper-Pearson
interval in portable SQL
(grid refinement of the binomial tails). Here its bounds must equal scipy's beta quantiles,
Beta(alpha/2; x, n-x+1) and Beta(1-alpha/2; x+1, n-x), on hand-made groups that include the
edges (no responder, all responders, a single patient, a large group with one responder) and on
every group of the paper-profile warehouse.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from scipy.stats import beta

from conftest import run_dbt

ALPHA = 0.05
BOUND_TOLERANCE_PCT = 1e-7  # percent points; the SQL brackets the bound to 1e-14


def clopper_pearson_pct(n: int, x: int) -> tuple[float, float]:
    lower = 0.0 if x == 0 else beta.ppf(ALPHA / 2, x, n - x + 1)
    upper = 1.0 if x == n else beta.ppf(1 - ALPHA / 2, x + 1, n - x)
    return 100 * lower, 100 * upper


@pytest.fixture(scope="module")
def orr_sql(tmp_path_factory: pytest.TempPathFactory) -> str:
    """marts.objective_response's SQL as `dbt compile` writes it (relations in catalog `il2_registry`)."""
    work = tmp_path_factory.mktemp("orr_compile")
    result = run_dbt(
        ["compile", "--select", "objective_response"],
        warehouse=work / "il2_registry.duckdb",
        extract_dir=work / "no_extract_needed",
        work_dir=work,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return (work / "target/compiled/il2_registry/models/marts/paper/objective_response.sql").read_text()


def _check_against_scipy(result: pd.DataFrame) -> list[str]:
    problems = []
    for row in result.itertuples():
        lower, upper = clopper_pearson_pct(int(row.n_patients), int(row.n_responders))
        if (
            abs(row.ci_lower_pct - lower) > BOUND_TOLERANCE_PCT
            or abs(row.ci_upper_pct - upper) > BOUND_TOLERANCE_PCT
        ):
            problems.append(
                f"{row.disease}/{row.cohort} n={row.n_patients} x={row.n_responders}: "
                f"SQL ({row.ci_lower_pct}, {row.ci_upper_pct}) scipy ({lower}, {upper})"
            )
    return problems


def test_clopper_pearson_edges_match_scipy(orr_sql: str, tmp_path: Path) -> None:
    # groups by (disease, cohort): n patients, x responders
    groups = {
        ("mM", "prior_icb"): (1, 0),
        ("mRCC", "prior_icb"): (5, 5),
        ("mM", "il2_alone"): (30, 7),
        ("mRCC", "il2_alone"): (200, 1),
    }
    rows = [
        {
            "patient_id": f"{disease}-{cohort}-{i}",
            "disease": disease,
            "cohort": cohort,
            "is_objective_response": i < x,
        }
        for (disease, cohort), (n, x) in groups.items()
        for i in range(n)
    ]
    frame = pd.DataFrame(rows)
    warehouse = tmp_path / "il2_registry.duckdb"  # the catalog name the compiled SQL uses
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.register("fixture_rows", frame)
        con.execute("create table marts.best_response as select * from fixture_rows")
        result = con.sql(orr_sql).df()
    by_group = result.set_index(["disease", "cohort"])
    for (disease, cohort), (n, x) in groups.items():
        got = by_group.loc[(disease, cohort)]
        assert (got["n_patients"], got["n_responders"]) == (n, x)
        assert got["orr_pct"] == pytest.approx(100 * x / n)
    # the pooled rows: prior_icb 1 + 5 patients, 0 + 5 responders; il2_alone 30 + 200, 7 + 1
    assert tuple(by_group.loc[("all", "prior_icb")][["n_patients", "n_responders"]]) == (6, 5)
    assert tuple(by_group.loc[("all", "il2_alone")][["n_patients", "n_responders"]]) == (230, 8)
    assert by_group.loc[("mM", "prior_icb")]["ci_lower_pct"] == 0.0  # no responder
    assert by_group.loc[("mRCC", "prior_icb")]["ci_upper_pct"] == 100.0  # all responders
    problems = _check_against_scipy(result)
    assert not problems, "\n".join(problems)


def test_check_against_scipy_can_fail() -> None:
    wrong = pd.DataFrame([{"disease": "mM", "cohort": "prior_icb", "n_patients": 40, "n_responders": 9}])
    lower, upper = clopper_pearson_pct(40, 9)
    wrong["ci_lower_pct"], wrong["ci_upper_pct"] = lower + 1e-4, upper
    assert _check_against_scipy(wrong)
    wrong["ci_lower_pct"] = lower
    assert not _check_against_scipy(wrong)


@pytest.mark.slow
def test_clopper_pearson_on_paper_warehouse_matches_scipy(orr_sql: str, paper_warehouse: Path) -> None:
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        result = con.sql(orr_sql).df()
    assert set(result["disease"]) == {"mM", "mRCC", "all"}
    problems = _check_against_scipy(result)
    assert not problems, "\n".join(problems)
