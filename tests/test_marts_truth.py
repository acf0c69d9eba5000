"""The marts against the generator's per-patient truth, patient by patient.

The generator writes `<extract>_truth/patients.csv` beside each extract: the dictionary's
derivation rules implemented independently in pandas over the clean records (before bad rows
are added). Here every patient's cohort, day 1, initial response, BOR, confirmed BOR, OS, PFS
and DoR (time in days and event), and the paper's characteristics, must equal the truth:
on the paper profile and on a 20,000-patient scale extract with messy rows (bad rows must be
rejected or nulled without changing any clinical result).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import generate_extract, run_dbt

SCALE_PATIENTS = 20_000
SCALE_MESSY_RATE = "0.02"
SCALE_SEED = "20260101"
MONTHS_TOLERANCE = 1e-5  # truth is written with 6 decimals


def truth_dir_for(extract: Path) -> Path:
    return extract.parent / f"{extract.name}_truth"


def read_truth(extract: Path) -> pd.DataFrame:
    return pd.read_csv(truth_dir_for(extract) / "patients.csv", dtype=str, keep_default_na=False).set_index(
        "patient_id"
    )


def read_marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            "cohort": con.sql("select * from marts.cohort").df().set_index("patient_id"),
            "best_response": con.sql("select * from marts.best_response").df().set_index("patient_id"),
            "survival": con.sql("select * from marts.survival").df(),
            "cutoff": con.sql("select data_cutoff_date from core.dim_extract").df(),
        }


def _text(values: pd.Series) -> pd.Series:
    """Comparable text: dates as ISO strings, missing as None."""
    out = values.astype(object).where(values.notna(), None)
    return out.map(lambda v: None if v in (None, "") else str(v)[:10] if hasattr(v, "year") else str(v))


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.replace("", None), errors="coerce").astype(float)


def _exact_mismatches(name: str, truth: pd.Series, marts: pd.Series, ids: pd.Index) -> list[str]:
    a, b = _text(truth.reindex(ids)), _text(marts.reindex(ids))
    bad = [pid for pid, x, y in zip(ids, a, b, strict=True) if x != y]
    return (
        [
            f"{name}: {len(bad)} patient(s), e.g. "
            + ", ".join(f"{p} truth={a[p]} marts={b[p]}" for p in bad[:5])
        ]
        if bad
        else []
    )


def _numeric_mismatches(
    name: str, truth: pd.Series, marts: pd.Series, ids: pd.Index, tol: float
) -> list[str]:
    a, b = _numbers(truth.reindex(ids)), marts.reindex(ids).astype(float)
    bad = ids[~(((a - b).abs() <= tol) | (a.isna() & b.isna()))]
    return (
        [
            f"{name}: {len(bad)} patient(s), e.g. "
            + ", ".join(f"{p} truth={a[p]} marts={b[p]}" for p in bad[:5])
        ]
        if len(bad)
        else []
    )


def compare_with_truth(truth: pd.DataFrame, marts: dict[str, pd.DataFrame]) -> list[str]:
    """Every difference between the marts and the truth, as readable lines (empty when none)."""
    cohort, best, survival = marts["cohort"], marts["best_response"], marts["survival"]
    problems: list[str] = []
    missing, extra = set(truth.index) - set(cohort.index), set(cohort.index) - set(truth.index)
    if missing or extra:
        problems.append(f"patients: {len(missing)} missing from marts.cohort, {len(extra)} extra")
    ids = truth.index.intersection(cohort.index)

    problems += _exact_mismatches("cohort", truth["cohort"], cohort["cohort"], ids)
    problems += _exact_mismatches("disease", truth["disease"], cohort["disease"], ids)
    problems += _exact_mismatches("day1", truth["day1"], cohort["day1_date"], ids)
    # truth leaves the initial response empty without an assessment; the mart says NE (no date)
    problems += _exact_mismatches(
        "initial_response", truth["initial_response"].replace("", "NE"), best["initial_response"], ids
    )
    problems += _exact_mismatches(
        "initial_response_date", truth["initial_response_date"], best["initial_response_date"], ids
    )
    problems += _exact_mismatches(
        "best_overall_response", truth["best_overall_response"], best["best_overall_response"], ids
    )
    problems += _exact_mismatches(
        "best_overall_response_date",
        truth["best_overall_response_date"],
        best["best_overall_response_date"],
        ids,
    )
    problems += _exact_mismatches(
        "confirmed_best_overall_response",
        truth["confirmed_best_overall_response"],
        best["confirmed_best_overall_response"],
        ids,
    )

    for endpoint, prefix in (("OS", "os"), ("PFS", "pfs"), ("DOR", "dor")):
        rows = survival[survival["endpoint"] == endpoint].set_index("patient_id")
        expected = truth[truth[f"{prefix}_days"] != ""]
        if set(expected.index) != set(rows.index):
            problems.append(
                f"{endpoint}: patients differ ({len(set(expected.index) - set(rows.index))} missing, "
                f"{len(set(rows.index) - set(expected.index))} extra)"
            )
        both = expected.index.intersection(rows.index)
        problems += _numeric_mismatches(
            f"{endpoint} time_days", expected[f"{prefix}_days"], rows["time_days"], both, 0
        )
        problems += _numeric_mismatches(
            f"{endpoint} event", expected[f"{prefix}_event"], rows["event"], both, 0
        )
    cutoff = pd.Timestamp(marts["cutoff"]["data_cutoff_date"].iloc[0])
    if (survival["time_days"] < 0).any() or (pd.to_datetime(survival["end_date"]) > cutoff).any():
        problems.append("survival: a negative time or an end date after the data cut-off")
    pfs = survival[survival["endpoint"] == "PFS"].set_index("patient_id")
    problems += _exact_mismatches("PFS reason", truth["pfs_reason"], pfs["reason"], ids)

    for truth_column, mart_column in (
        ("months_follow_up", "months_follow_up"),
        ("months_metastatic_dx_to_day1", "months_metastatic_dx_to_day1"),
        ("months_on_pd1", "months_on_pd1"),
        ("months_pd1_end_to_day1", "months_pd1_end_to_day1"),
        ("months_il2_treatment", "months_il2_treatment"),
        ("cycles_received", "cycles_received"),
        ("ldh_value", "ldh_value"),
    ):
        problems += _numeric_mismatches(
            truth_column, truth[truth_column], cohort[mart_column], ids, MONTHS_TOLERANCE
        )
    problems += _exact_mismatches(
        "prior_icb_best_response", truth["prior_pd1_best_response"], cohort["prior_icb_best_response"], ids
    )
    agents = "+" + cohort["prior_icb_agents"].fillna("") + "+"
    for agent in ("nivolumab", "pembrolizumab", "atezolizumab", "pd1_agent_not_recorded", "ipilimumab"):
        problems += _exact_mismatches(
            f"prior agent {agent}",
            truth[f"prior_{agent}"] == "True",
            agents.str.contains(f"+{agent}+", regex=False),
            ids,
        )
    regimens = ", " + cohort["prior_icb_regimens"].fillna("") + ", "
    problems += _exact_mismatches(
        "prior nivolumab+ipilimumab regimen",
        truth["prior_nivolumab_plus_ipilimumab"] == "True",
        regimens.str.contains(", nivolumab+ipilimumab, ", regex=False),
        ids,
    )
    problems += _exact_mismatches(
        "prior BRAF/MEK", truth["prior_braf_mek"] == "True", cohort["has_prior_braf_mek"], ids
    )
    problems += _exact_mismatches(
        "prior VEGF TKI", truth["prior_vegf_tki"] == "True", cohort["has_prior_vegf_tki"], ids
    )
    problems += _exact_mismatches(
        "mutation status reported",
        truth["is_mutation_status_reported"] == "True",
        cohort["is_mutation_status_reported"],
        ids,
    )
    return problems


def test_comparison_detects_a_difference(paper_extract: Path, paper_warehouse: Path) -> None:
    """The comparison itself can fail: one changed BOR and one changed OS time are reported."""
    truth = read_truth(paper_extract)
    marts = read_marts(paper_warehouse)
    patient = truth.index[0]
    truth.loc[patient, "best_overall_response"] = (
        "CR" if truth.loc[patient, "best_overall_response"] != "CR" else "PD"
    )
    truth.loc[patient, "os_days"] = str(int(truth.loc[patient, "os_days"]) + 1)
    problems = compare_with_truth(truth, marts)
    assert any(p.startswith("best_overall_response: 1 patient") for p in problems), problems
    assert any(p.startswith("OS time_days: 1 patient") for p in problems), problems


@pytest.mark.slow
def test_paper_marts_equal_truth(paper_extract: Path, paper_warehouse: Path) -> None:
    problems = compare_with_truth(read_truth(paper_extract), read_marts(paper_warehouse))
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_scale_messy_marts_equal_truth(tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.mktemp("scale_messy")
    extract = generate_extract(
        work / "extract",
        "--profile",
        "scale",
        "--patients",
        str(SCALE_PATIENTS),
        "--messy",
        SCALE_MESSY_RATE,
        "--seed",
        SCALE_SEED,
    )
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    truth = read_truth(extract)
    assert len(truth) == SCALE_PATIENTS
    problems = compare_with_truth(truth, read_marts(warehouse))
    assert not problems, "\n".join(problems)
