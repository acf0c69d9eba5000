"""The paper's figures reproduced from the paper-profile warehouse, through the analyses.

Every figure of `published_values.yml` that the marts determine is recomputed by the SQL in
`analyses/` (compiled by dbt as an analyst would, then run on the warehouse) and compared with
the published value within the file's tolerance: counts exact, means/minima/maxima/SDs and
percentages printed to one decimal within 0.05, medians within 0.1.

Survival medians (`survival_months`) come from the survival step (marts.km_summary), checked
by the survival engineer's tests: see the SURVIVAL MEDIANS section at the end of this file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from conftest import run_dbt

pytestmark = pytest.mark.slow

ANALYSES = (
    "table1_best_response",
    "objective_response_rate",
    "characteristics_prior_icb",
    "il2_dosing_prior_icb",
    "stop_toxicities_prior_icb",
    "durable_responses_prior_icb",
    "toxicity_immune_related_prior_icb",
)

# Published initial-response figures that no warehouse can reproduce under the dictionary's
# rules, and why (checked below, so this list cannot hide anything else): a patient whose first
# assessment after day 1 is PD has BOR PD (the BOR window ends at the first PD) or, when a
# subsequent therapy started before that assessment, BOR NE. So initial PD <= BOR PD + BOR NE.
# The paper reports initial PD 17 (mM) and 6 (mRCC) with BOR PD 16 and 5 and no NE, one more
# than possible in each disease; the initial SD counts are off by the same one patient.
IRREPRODUCIBLE = {
    ("table_1_best_response", "mM", "initial_response", "SD"),
    ("table_1_best_response", "mM", "initial_response", "PD"),
    ("table_1_best_response", "mRCC", "initial_response", "SD"),
    ("table_1_best_response", "mRCC", "initial_response", "PD"),
}


@pytest.fixture(scope="module")
def published() -> dict:
    text = resources.files("il2_registry").joinpath("data/published_values.yml").read_text()
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def analyses(
    paper_extract: Path, paper_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    """Each analysis compiled by `dbt compile` and run on the paper warehouse."""
    work = tmp_path_factory.mktemp("analyses_compile")
    result = run_dbt(
        ["compile", "--select", "resource_type:analysis"],
        warehouse=work / "il2_registry.duckdb",
        extract_dir=paper_extract,
        work_dir=work,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    compiled = work / "target" / "compiled" / "il2_registry" / "analyses"
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        return {name: con.sql((compiled / f"{name}.sql").read_text()).df() for name in ANALYSES}


def _close(reproduced: float | None, expected: float, tolerance: float) -> bool:
    return (
        reproduced is not None and not pd.isna(reproduced) and abs(reproduced - expected) <= tolerance + 1e-9
    )


class Figures:
    """Collects (figure, published, reproduced) and the mismatches among them."""

    def __init__(self) -> None:
        self.checked: list[tuple[tuple, object, object]] = []
        self.mismatches: list[str] = []

    def check(self, key: tuple, expected: object, reproduced: object, tolerance: float = 0.0) -> None:
        self.checked.append((key, expected, reproduced))
        if isinstance(expected, str):
            ok = expected == reproduced
        else:
            ok = _close(None if reproduced is None else float(reproduced), float(expected), tolerance)
        if not ok:
            self.mismatches.append(
                f"{'.'.join(map(str, key))}: published {expected}, reproduced {reproduced}"
            )


@pytest.mark.parametrize(
    ("expected", "reproduced", "tolerance", "ok"),
    [(40, 40, 0, True), (40, 39, 0, False), (22.4, 22.449, 0.05, True), (22.4, 22.46, 0.05, False)]
    + [
        (5.4, None, 0.05, False),
        ("hypotension", "hypoxia", 0, False),
        ("hypotension", "hypotension", 0, True),
    ],
)
def test_figures_flags_mismatches(expected: object, reproduced: object, tolerance: float, ok: bool) -> None:
    fig = Figures()
    fig.check(("figure",), expected, reproduced, tolerance)
    assert (not fig.mismatches) == ok


def _characteristic(frame: pd.DataFrame, disease: str, name: str, column: str = "value") -> float | None:
    row = frame[(frame["disease"] == disease) & (frame["characteristic"] == name)]
    return None if row.empty else float(row[column].iloc[0])


def test_published_figures_reproduce(
    published: dict, analyses: dict[str, pd.DataFrame], paper_warehouse: Path
):
    tol = published["tolerances"]
    fig = Figures()

    # cohorts
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        counts = con.sql("select disease, cohort, count(*) as n from marts.cohort group by all").df()
    for disease, n in published["cohorts"]["prior_icb"].items():
        got = counts[(counts["disease"] == disease) & (counts["cohort"] == "prior_icb")]["n"].sum()
        fig.check(("cohorts", "prior_icb", disease), n, got)
    fig.check(
        ("cohorts", "il2_alone_total"),
        published["cohorts"]["il2_alone_total"],
        counts[counts["cohort"] == "il2_alone"]["n"].sum(),
    )

    # prior ICB agents (patients counted per agent)
    chars = analyses["characteristics_prior_icb"]
    for disease, agents in published["prior_icb_agents"].items():
        for agent, n in agents.items():
            fig.check(
                ("prior_icb_agents", disease, agent), n, _characteristic(chars, disease, f"agent_{agent}")
            )

    # Table 1
    table1 = analyses["table1_best_response"]
    for disease, types in published["table_1_best_response"].items():
        for response_type, responses in types.items():
            for response, n in responses.items():
                key = ("table_1_best_response", disease, response_type, response)
                if key in IRREPRODUCIBLE:
                    continue
                row = table1[
                    (table1["disease"] == disease)
                    & (table1["response_type"] == response_type)
                    & (table1["response"] == response)
                ]
                fig.check(key, n, row["n_patients"].sum())

    # objective response rate (percent, one decimal)
    orr = analyses["objective_response_rate"]
    for group, pct in published["objective_response_rate_pct"].items():
        disease = "all" if group == "all_prior_icb" else group
        row = orr[(orr["disease"] == disease) & (orr["cohort"] == "prior_icb")]
        fig.check(("objective_response_rate_pct", group), pct, row["orr_pct"].iloc[0], tol["mean"])

    # durability at the data lock
    durable = analyses["durable_responses_prior_icb"]
    for disease, items in published["durability_at_data_lock"].items():
        for item, n in items.items():
            response, what = item.split("_")
            row = durable[(durable["disease"] == disease) & (durable["best_overall_response"] == response)]
            column = {"progressed": "n_progressed", "continuing": "n_continuing", "total": "n_responders"}[
                what
            ]
            fig.check(("durability_at_data_lock", disease, item), n, row[column].sum())

    # characteristics
    stat_column = {"mean": "value", "median": "value", "min": "minimum", "max": "maximum"}
    for disease, items in published["characteristics_prior_icb"].items():
        for name, value in items.items():
            key = ("characteristics_prior_icb", disease, name)
            if name == "prior_pd1_response_recorded":
                fig.check(
                    (*key, "n"), value["n"], _characteristic(chars, disease, "prior_pd1_response_recorded")
                )
                for response in ("CR", "PR", "SD", "PD", "NE"):
                    got = _characteristic(chars, disease, f"prior_pd1_response_{response}") or 0
                    fig.check((*key, response), value.get(response, 0), got)
            elif isinstance(value, dict):
                for stat, expected in value.items():
                    fig.check(
                        (*key, stat),
                        expected,
                        _characteristic(chars, disease, name, stat_column[stat]),
                        tol[stat],
                    )
            else:
                fig.check(key, value, _characteristic(chars, disease, name))

    # dosing
    dosing = analyses["il2_dosing_prior_icb"]
    for disease, stats in published["dosing_prior_icb"]["doses_per_cycle"].items():
        row = dosing[(dosing["disease"] == disease) & (dosing["measure"] == "doses_per_cycle")]
        fig.check(
            ("dosing_prior_icb", "doses_per_cycle", disease, "mean"),
            stats["mean"],
            row["mean"].iloc[0],
            tol["mean"],
        )
        fig.check(
            ("dosing_prior_icb", "doses_per_cycle", disease, "sd"),
            stats["sd"],
            row["sd"].iloc[0],
            tol["mean"],
        )
    for disease, categories in published["dosing_prior_icb"]["cycles_received"].items():
        for category, n in categories.items():
            row = dosing[
                (dosing["disease"] == disease)
                & (dosing["measure"] == "cycles_received")
                & (dosing["category"] == str(category))
            ]
            fig.check(("dosing_prior_icb", "cycles_received", disease, category), n, row["n"].sum())

    # toxicity
    toxicity = published["toxicity_prior_icb"]
    pooled = analyses["stop_toxicities_prior_icb"]
    pooled = pooled[pooled["disease"] == "all"].sort_values("n_mentions", ascending=False)
    fig.check(
        ("toxicity_prior_icb", "most_common_stop_toxicity"),
        toxicity["most_common_stop_toxicity"],
        pooled["toxicity_term"].iloc[0],
    )
    fig.check(
        ("toxicity_prior_icb", "most_common_is_unique"),
        1,
        int(pooled["n_mentions"].iloc[0] > pooled["n_mentions"].iloc[1]),
    )
    fig.check(
        ("toxicity_prior_icb", "stop_toxicities_seen"),
        ", ".join(sorted(toxicity["stop_toxicities_seen"])),
        ", ".join(sorted(pooled["toxicity_term"])),
    )
    immune = analyses["toxicity_immune_related_prior_icb"]
    fig.check(
        ("toxicity_prior_icb", "autoimmune_toxicities_recorded"),
        toxicity["autoimmune_toxicities_recorded"],
        int(immune["is_immune_related"].fillna(False).sum()),
    )
    case = toxicity["case_pneumonitis"]
    pneumonitis = immune[immune["preferred_term"] == "pneumonitis"]
    fig.check(("toxicity_prior_icb", "case_pneumonitis", "patients"), 1, len(pneumonitis))
    if len(pneumonitis) == 1:
        one = pneumonitis.iloc[0]
        fig.check(("toxicity_prior_icb", "case_pneumonitis", "disease"), "mRCC", one["disease"])
        fig.check(
            ("toxicity_prior_icb", "case_pneumonitis", "day_of_onset"),
            case["day_of_onset"],
            one["treatment_day"],
        )
        fig.check(
            ("toxicity_prior_icb", "case_pneumonitis", "doses_given_before_onset"),
            case["doses_given_before_onset"],
            one["cycle_doses_given"],
        )
        fig.check(
            ("toxicity_prior_icb", "case_pneumonitis", "doses_planned"),
            case["doses_planned"],
            one["cycle_doses_planned"],
        )
        fig.check(
            ("toxicity_prior_icb", "case_pneumonitis", "treated_with_steroids"),
            1,
            int(bool(one["is_treated_with_steroids"])),
        )
        with duckdb.connect(str(paper_warehouse), read_only=True) as con:
            pdl1 = con.sql(
                f"select has_prior_pdl1 from marts.cohort where patient_id = '{one['patient_id']}'"
            ).fetchone()
        fig.check(("toxicity_prior_icb", "case_pneumonitis", "prior_pdl1"), 1, int(bool(pdl1[0])))

    print(f"\n{len(fig.checked) - len(fig.mismatches)} of {len(fig.checked)} published figures reproduce")
    assert not fig.mismatches, "\n".join(fig.mismatches)
    assert len(fig.checked) >= 100


def test_irreproducible_figures_are_impossible_under_the_rules(
    published: dict, analyses: dict[str, pd.DataFrame]
) -> None:
    """The four figures left out above violate initial PD <= BOR PD + BOR NE in the paper, and
    the warehouse keeps that invariant and the published totals."""
    table1 = analyses["table1_best_response"]
    for disease, types in published["table_1_best_response"].items():
        initial, best = types["initial_response"], types["best_overall_response"]
        assert initial["PD"] > best["PD"] + best.get("NE", 0), (
            f"{disease}: the published figures are possible"
        )

        def n(response_type: str, response: str, disease: str = disease) -> int:
            rows = table1[
                (table1["disease"] == disease)
                & (table1["response_type"] == response_type)
                & (table1["response"] == response)
            ]
            return int(rows["n_patients"].sum())

        assert n("initial_response", "PD") <= n("best_overall_response", "PD") + n(
            "best_overall_response", "NE"
        )
        # the patient the paper counts as initial PD is SD here: SD + PD still add up
        assert n("initial_response", "SD") + n("initial_response", "PD") == initial["SD"] + initial["PD"]


# SURVIVAL MEDIANS (published_values.yml `survival_months`): Kaplan-Meier medians of OS and PFS
# by disease and cohort from marts.km_summary, within tolerances.median_months (0.1), computed
# by the survival step over marts.survival. To be added here by the survival engineer (or kept
# in their tests/test_survival_reproduction.py), reading marts.km_summary of `paper_warehouse`.
