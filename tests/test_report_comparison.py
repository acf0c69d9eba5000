"""Published vs reproduced: the YAML walk, tolerances (edges included), `not_reached`, text and
list figures, and the resolver on the hand-made warehouse of test_report_synthetic."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from il2_registry.report.comparison import (
    NOT_COMPUTED,
    NOT_REACHED,
    Judged,
    Leaf,
    compare,
    is_match,
    iter_leaves,
    published_inconsistencies,
    tolerance_for,
)
from il2_registry.report.data import load_report_data
from il2_registry.report.published import load_published
from il2_registry.report.reproduction import resolver
from test_report_synthetic import build_synthetic_warehouse

TOLERANCES = {"count": 0, "mean": 0.05, "min": 0.05, "max": 0.05, "median": 0.1, "median_months": 0.1}


@pytest.mark.parametrize(
    ("published", "reproduced", "tolerance", "expected"),
    [
        (22.5, 22.55, 0.05, True),  # exactly the tolerance away still matches
        (22.5, 22.45, 0.05, True),
        (22.5, 22.5501, 0.05, False),  # just past it does not
        (40, 40, 0.0, True),
        (40, 41, 0.0, False),  # counts are exact
        (29.4, 29.5, 0.1, True),
        (29.4, 29.51, 0.1, False),
        (NOT_REACHED, NOT_REACHED, 0.1, True),
        (NOT_REACHED, 60.2, 0.1, False),  # a reached median is not "not reached"
        (40.8, NOT_REACHED, 0.1, False),
        ("hypotension", "Hypotension", None, True),  # text: case and spaces do not matter
        ("hypotension", "tachycardia", None, False),
        (3, NOT_COMPUTED, 0.0, False),  # nothing computed never matches
        (3, float("nan"), 0.0, False),
        (3, "3", 0.0, False),  # a number is not text
    ],
)
def test_is_match(published, reproduced, tolerance, expected) -> None:
    assert is_match(published, reproduced, tolerance) is expected


def test_list_items_match_when_seen() -> None:
    assert is_match("rigors", 2, None, is_list_item=True)
    assert not is_match("rigors", 0, None, is_list_item=True)


def test_tolerance_follows_the_yaml() -> None:
    def tol(path: tuple[str, ...], value) -> float | None:
        return tolerance_for(Leaf(path, value), TOLERANCES)

    assert tol(("cohorts", "prior_icb", "mM"), 40) == 0
    assert tol(("characteristics_prior_icb", "mM", "ldh_u_per_l", "min"), 117) == 0.05  # by key, not type
    assert tol(("characteristics_prior_icb", "mM", "median_follow_up_months", "median"), 11.2) == 0.1
    assert tol(("survival_months", "overall_survival", "mM", "prior_icb"), 29.4) == 0.1
    assert tol(("survival_months", "overall_survival", "mRCC", "prior_icb"), NOT_REACHED) == 0.1
    assert tol(("objective_response_rate_pct", "mM"), 22.5) == 0.05  # printed to one decimal
    assert tol(("dosing_prior_icb", "doses_per_cycle", "mM", "sd"), 2.4) == 0.05
    assert tol(("toxicity_prior_icb", "most_common_stop_toxicity"), "hypotension") is None


def test_walk_covers_every_published_figure() -> None:
    document = {
        "tolerances": TOLERANCES,
        "a": {"x": 1, "y": {"z": 2.5}},
        "b": {"seen": ["p", "q"]},
        "c": "text",
    }
    leaves = [leaf.path for leaf in iter_leaves(document)]
    assert leaves == [("a", "x"), ("a", "y", "z"), ("b", "seen", "p"), ("b", "seen", "q"), ("c",)]


def test_compare_rows_and_unknown_figures() -> None:
    document = {"tolerances": TOLERANCES, "s": {"n": 3, "m": 1.5, "gone": 7, "j": "x"}}
    values = {
        ("s", "n"): 3,
        ("s", "m"): 1.56,
        ("s", "j"): Judged("steroids given", True, "steroid use only"),
    }

    def resolve(path):
        if path == ("s", "gone"):
            raise KeyError(path)  # a resolver failure becomes "not computed", never a crash
        return values.get(path, NOT_COMPUTED)

    table = compare(document, resolve)
    assert list(table.columns) == ["section", "figure", "published", "reproduced", "tolerance", "match"]
    assert list(table["match"]) == ["yes", "no", "no", "yes"]
    assert list(table["reproduced"]) == ["3", "1.56", "not computed", "steroids given"]
    assert list(table["tolerance"]) == ["exact", "± 0.05", "exact", "steroid use only"]


@pytest.fixture(scope="module")
def synthetic_comparison(tmp_path_factory: pytest.TempPathFactory):
    path = build_synthetic_warehouse(tmp_path_factory.mktemp("cmp") / "wh.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    try:
        data = load_report_data(con)
    finally:
        con.close()
    return resolver(data), compare(load_published(), resolver(data))


def test_every_published_figure_has_a_row(synthetic_comparison) -> None:
    _, table = synthetic_comparison
    assert len(table) == len(list(iter_leaves(load_published())))
    assert not (table["reproduced"] == "not computed").any(), table[table["reproduced"] == "not computed"]


def test_resolver_on_the_synthetic_warehouse(synthetic_comparison) -> None:
    resolve, _ = synthetic_comparison
    assert resolve(("cohorts", "prior_icb", "mM")) == 4
    assert resolve(("cohorts", "il2_alone_total")) == 3  # A1, A2, B1
    assert resolve(("prior_icb_agents", "mM", "nivolumab_plus_ipilimumab")) == 1  # P1
    assert resolve(("prior_icb_agents", "mRCC", "pembrolizumab")) == 0  # absent agent counts 0
    assert resolve(("table_1_best_response", "mM", "initial_response", "CR")) == 0
    assert resolve(("table_1_best_response", "mRCC", "best_overall_response", "CR")) == 1  # R1
    # ORR all prior_icb: P1 CR, P2 PR, R1 CR of 6 patients
    assert resolve(("objective_response_rate_pct", "all_prior_icb")) == pytest.approx(50.0)
    # durability: P2 (PR) had a DoR event; P1 (CR) did not
    assert resolve(("durability_at_data_lock", "mM", "CR_progressed")) == 0
    assert resolve(("durability_at_data_lock", "mM", "PR_continuing")) == 0
    assert resolve(("durability_at_data_lock", "mM", "PR_total")) == 1
    assert resolve(("characteristics_prior_icb", "mM", "ldh_u_per_l", "max")) == 400
    assert resolve(("characteristics_prior_icb", "mM", "median_follow_up_months", "median")) == 9.0
    assert resolve(("characteristics_prior_icb", "mRCC", "prior_pd1_response_recorded", "PR")) == 1
    assert resolve(("characteristics_prior_icb", "mRCC", "prior_vegf_tki")) == 1
    assert resolve(("dosing_prior_icb", "doses_per_cycle", "mM", "mean")) == pytest.approx(9.25)
    assert resolve(("dosing_prior_icb", "cycles_received", "mM", "more_than_4")) == 1  # P2
    assert resolve(("dosing_prior_icb", "cycles_received", "mM", "3")) == 0
    # hypotension: 3 patients (P1, P2, R1); tachycardia has more rows (4) but 2 patients
    assert resolve(("toxicity_prior_icb", "most_common_stop_toxicity")) == "hypotension"
    assert resolve(("toxicity_prior_icb", "stop_toxicities_seen", "capillary leak syndrome")) == 0
    assert resolve(("toxicity_prior_icb", "stop_toxicities_seen", "hypoxia")) == 1
    # A2's colitis is immune-related but A2 is il2_alone: none in prior_icb
    assert resolve(("toxicity_prior_icb", "autoimmune_toxicities_recorded")) == 0
    assert resolve(("toxicity_prior_icb", "case_pneumonitis", "day_of_onset")) == 7
    assert resolve(("toxicity_prior_icb", "case_pneumonitis", "doses_given_before_onset")) == 11
    treated = resolve(("toxicity_prior_icb", "case_pneumonitis", "treated_with"))
    assert isinstance(treated, Judged) and treated.match
    # OS mM prior_icb: P4 censored 3, P3 dies 6 (S = 2/3), P1 censored 12, P2 dies 24 (S = 0)
    assert resolve(("survival_months", "overall_survival", "mM", "prior_icb")) == 24.0
    # OS mRCC prior_icb: no death -> not reached
    assert resolve(("survival_months", "overall_survival", "mRCC", "prior_icb")) == NOT_REACHED


def test_comparison_rows_judge_the_synthetic_values(synthetic_comparison) -> None:
    _, table = synthetic_comparison
    row = table[(table["section"] == "toxicity_prior_icb") & (table["figure"] == "most_common_stop_toxicity")]
    assert row["match"].item() == "yes"
    row = table[
        (table["section"] == "survival_months") & (table["figure"] == "overall_survival › mRCC › prior_icb")
    ]
    assert (row["published"].item(), row["reproduced"].item(), row["match"].item()) == (
        "not reached",
        "not reached",
        "yes",
    )
    row = table[(table["section"] == "cohorts") & (table["figure"] == "prior_icb › mM")]
    assert (row["published"].item(), row["reproduced"].item(), row["match"].item()) == ("40", "4", "no")


def test_published_values_ship_with_the_package() -> None:
    document = load_published()
    assert document["tolerances"]["median_months"] == 0.1
    assert Path(__file__).parent.parent.joinpath("python/il2_registry/data/published_values.yml").is_file()


def test_published_inconsistencies_are_found_from_the_figures() -> None:
    consistent = {
        "table_1_best_response": {"mM": {"initial_response": {"PD": 16}, "best_overall_response": {"PD": 16}}}
    }
    assert published_inconsistencies(consistent) == []
    # initial PD 17 > BOR PD 15 + NE 1
    broken = {
        "table_1_best_response": {
            "mM": {"initial_response": {"PD": 17}, "best_overall_response": {"PD": 15, "NE": 1}}
        }
    }
    (note,) = published_inconsistencies(broken)
    assert "mM" in note and "17" in note and "16" in note
    # The paper's own Table 1 has this in both columns (17 > 16 in mM, 6 > 5 in mRCC).
    assert len(published_inconsistencies(load_published())) == 2
