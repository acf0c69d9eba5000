"""The paper-profile warehouse reproduces the paper's Kaplan-Meier medians (published_values.yml).

The generator's paper profile is calibrated to these figures; this checks that the whole chain
(extract -> marts.survival -> survival step) lands within the published tolerance of 0.1 month,
and that "not reached" is a null median. Expected values come from the package's copy of the
published figures, never from the warehouse itself.
"""

from __future__ import annotations

from importlib import resources

import duckdb
import pytest
import yaml

TOLERANCE_MONTHS = 0.1
ENDPOINTS = {"overall_survival": "OS", "progression_free_survival": "PFS"}


def _published_medians() -> list[tuple[str, str, str, object]]:
    text = resources.files("il2_registry").joinpath("data/published_values.yml").read_text()
    survival = yaml.safe_load(text)["survival_months"]
    return [
        (ENDPOINTS[name], disease, cohort, value)
        for name, by_disease in survival.items()
        for disease, by_cohort in by_disease.items()
        for cohort, value in by_cohort.items()
    ]


PUBLISHED = _published_medians()


def test_all_eight_published_medians_are_checked():
    # OS and PFS x mM and mRCC x prior_icb and il2_alone.
    assert len(PUBLISHED) == 8


@pytest.mark.slow
@pytest.mark.parametrize(("endpoint", "disease", "cohort", "published"), PUBLISHED)
def test_paper_medians_reproduced(paper_warehouse, endpoint, disease, cohort, published):
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        row = con.execute(
            "select n, median_months from marts.km_summary where endpoint = ? and disease = ? and cohort = ?",
            [endpoint, disease, cohort],
        ).fetchone()
    assert row is not None, f"no km_summary row for {endpoint} {disease} {cohort}"
    n, median = row
    assert n > 0
    if published == "not_reached":
        assert median is None, f"{endpoint} {disease} {cohort}: median {median}, published not reached"
    else:
        assert median is not None, f"{endpoint} {disease} {cohort}: not reached, published {published}"
        assert abs(median - float(published)) <= TOLERANCE_MONTHS, (
            f"{endpoint} {disease} {cohort}: {median:.2f} months, published {published}"
        )


@pytest.mark.slow
def test_warehouse_curves_match_a_direct_fit_of_marts_survival(paper_warehouse):
    # The dbt path (rows counted in DuckDB, Python model, contracted SQL table) must give the
    # same curves as fitting each group's per-patient rows directly.
    from il2_registry.survival import fit_kaplan_meier

    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        survival = con.execute("select disease, cohort, endpoint, time_days, event from marts.survival").df()
        curves = con.execute("select * from marts.km_curves order by all").df()
    assert set(curves["conf_type"]) == {"log-log"}  # the dbt_project.yml default
    for (disease, cohort, endpoint), rows in survival.groupby(["disease", "cohort", "endpoint"]):
        direct = fit_kaplan_meier(rows["time_days"].to_numpy(), rows["event"].to_numpy())
        stored = curves[
            (curves["disease"] == disease) & (curves["cohort"] == cohort) & (curves["endpoint"] == endpoint)
        ].sort_values("time_months")
        assert stored["time_months"].to_numpy() == pytest.approx(direct.time / 30.4375)
        assert stored["survival"].to_numpy() == pytest.approx(direct.survival, abs=1e-12)
        assert stored["n_at_risk"].tolist() == direct.n_at_risk.tolist()
        assert stored["n_events"].sum() + stored["n_censored"].sum() == len(rows)
