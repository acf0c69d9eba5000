"""A messy extract survives: the rejected rows are exactly the rows the generator broke.

The generator's `--messy` mode records every bad row it writes in `<out>_truth/bad_rows.csv`
(file, row_number, column, expected rejected/nulled, reason, value). The warehouse must
reject exactly those rows with those reasons, null exactly those values (findings
`value_nulled`), reconcile every file, and stop before building anything when the extract
itself is broken (manifest errors).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import PAPER_SEED, generate_extract, run_dbt
from fixtures.write_manifest import write_manifest

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"
MESSY_RATE = "0.02"


@pytest.fixture(scope="module")
def messy_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_extract(
        tmp_path_factory.mktemp("messy") / "extract",
        "--profile",
        "paper",
        "--seed",
        str(PAPER_SEED),
        "--messy",
        MESSY_RATE,
    )


@pytest.fixture(scope="module")
def messy_truth(messy_extract: Path) -> pd.DataFrame:
    truth = pd.read_csv(
        messy_extract.parent / f"{messy_extract.name}_truth" / "bad_rows.csv",
        keep_default_na=False,
        dtype=str,
    )
    truth["row_number"] = truth["row_number"].astype(int)
    return truth


@pytest.fixture(scope="module")
def messy_warehouse(messy_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("messy_build")
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=messy_extract, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse


def _query(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_the_generator_broke_rows_of_every_kind(messy_truth: pd.DataFrame) -> None:
    # Guard: the comparison below means something only if there are bad rows of each kind.
    reasons = set(messy_truth.loc[messy_truth["expected"] == "rejected", "reason"])
    assert reasons == {
        "exact_duplicate",
        "orphan_patient",
        "orphan_site",
        "missing_required",
        "invalid_date",
        "invalid_code",
        "invalid_number",
        "duplicate_key",
    }
    assert (messy_truth["expected"] == "nulled").any()


def test_rejected_rows_are_exactly_the_broken_rows(messy_truth: pd.DataFrame, messy_warehouse: Path) -> None:
    expected = messy_truth[messy_truth["expected"] == "rejected"]
    rejected = _query(
        messy_warehouse, "select file, row_number, column_name, value, reason from audit.rejected_rows"
    )
    assert set(zip(rejected["file"], rejected["row_number"], strict=True)) == set(
        zip(expected["file"], expected["row_number"], strict=True)
    )
    got = set(zip(rejected["file"], rejected["row_number"], rejected["reason"], strict=True))
    want = set(zip(expected["file"], expected["row_number"], expected["reason"], strict=True))
    assert got == want


def test_column_rejects_name_the_column_and_the_value(
    messy_truth: pd.DataFrame, messy_warehouse: Path
) -> None:
    column_reasons = ["missing_required", "invalid_date", "invalid_code", "invalid_number"]
    expected = messy_truth[messy_truth["reason"].isin(column_reasons)]
    rejected = _query(
        messy_warehouse,
        "select file, row_number, column_name, value from audit.rejected_rows "
        "where reason in ('missing_required', 'invalid_date', 'invalid_code', 'invalid_number')",
    )
    got = set(
        zip(rejected["file"], rejected["row_number"], rejected["column_name"], rejected["value"], strict=True)
    )
    want = set(
        zip(expected["file"], expected["row_number"], expected["column"], expected["value"], strict=True)
    )
    assert got == want


def test_nulled_values_are_exactly_the_broken_values(
    messy_truth: pd.DataFrame, messy_warehouse: Path
) -> None:
    expected = messy_truth[messy_truth["expected"] == "nulled"]
    nulled = _query(
        messy_warehouse,
        "select file, row_number, column_name, value from audit.findings where check_name = 'value_nulled'",
    )
    got = set(zip(nulled["file"], nulled["row_number"], nulled["column_name"], nulled["value"], strict=True))
    want = set(
        zip(expected["file"], expected["row_number"], expected["column"], expected["value"], strict=True)
    )
    assert got == want


def test_reconciliation_adds_up_for_every_file(messy_extract: Path, messy_warehouse: Path) -> None:
    manifest = json.loads((messy_extract / "manifest.json").read_text())
    recon = _query(messy_warehouse, "select * from audit.reconciliation").set_index("file")
    assert set(recon.index) == set(manifest["files"])
    for name, entry in manifest["files"].items():
        row = recon.loc[name]
        assert row["rows_in_file"] == entry["rows"], name
        assert row["rows_in_file"] == row["rows_used"] + row["rows_superseded"] + row["rows_rejected"], name
    rejected_per_file = _query(
        messy_warehouse, "select file, count(distinct row_number) as n from audit.rejected_rows group by file"
    ).set_index("file")["n"]
    for name in manifest["files"]:
        assert recon.loc[name, "rows_rejected"] == rejected_per_file.get(name, 0), name


# --- extract errors: the run stops, names the file and the problem, builds nothing


def _break_missing_file(extract: Path) -> None:
    (extract / "follow_up.csv").unlink()


def _break_missing_column(extract: Path) -> None:
    frame = pd.read_csv(extract / "baseline.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["ecog"]).to_csv(extract / "baseline.csv", index=False)
    write_manifest(extract, "2018-03-31")  # only the column is wrong, not the manifest


def _break_row_count(extract: Path) -> None:
    manifest = json.loads((extract / "manifest.json").read_text())
    manifest["files"]["il2_doses.csv"]["rows"] += 1
    (extract / "manifest.json").write_text(json.dumps(manifest))


def _break_sha256(extract: Path) -> None:
    manifest = json.loads((extract / "manifest.json").read_text())
    manifest["files"]["adverse_events.csv"]["sha256"] = "f" * 64
    (extract / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def error_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One extract path, warehouse path and target folder for every broken-extract run, so
    # that dbt's partial parsing applies after the first run (same vars, same profile).
    return tmp_path_factory.mktemp("broken_extract")


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_break_missing_file, "follow_up.csv: missing file"),
        (_break_missing_column, "baseline.csv: missing required column(s) ecog"),
        (_break_row_count, "il2_doses.csv: 15 data rows in the file, manifest.json says 16"),
        (_break_sha256, "adverse_events.csv: SHA-256"),
    ],
    ids=["missing_file", "missing_column", "row_count", "sha256"],
)
def test_extract_error_stops_the_run_before_anything_is_built(
    error_workdir: Path, breaker, message: str
) -> None:
    extract = error_workdir / "extract"
    shutil.rmtree(extract, ignore_errors=True)
    shutil.copytree(FIXTURE, extract)
    breaker(extract)
    warehouse = error_workdir / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=error_workdir)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "EXTRACT ERROR" in output and "nothing was built" in output
    assert message in output
    assert "OK created" not in output and "OK loaded seed" not in output
    assert not warehouse.exists()
