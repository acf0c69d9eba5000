"""Extract verification (python/il2_registry/extract_check.py): each problem is found and named."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from il2_registry.extract_check import (
    extra_columns,
    read_file_facts,
    sha256_of,
    verify_extract,
    verify_extract_sql_entry,
)

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"
CONTRACT = {
    "sites.csv": ["site_id", "site_name", "site_type", "state"],
    "tumor_assessments.csv": ["patient_id", "assessment_date", "overall_response", "method", "new_lesions"],
}


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    target = tmp_path / "extract"
    shutil.copytree(FIXTURE, target)
    return target


def _manifest(extract: Path) -> dict:
    return json.loads((extract / "manifest.json").read_text())


def _write_manifest(extract: Path, manifest: dict) -> None:
    (extract / "manifest.json").write_text(json.dumps(manifest))


def test_the_fixture_extract_verifies(extract: Path) -> None:
    assert verify_extract(extract, CONTRACT) == []


def test_sha256_is_streamed_in_chunks_and_equals_hashlib(extract: Path) -> None:
    path = extract / "patients.csv"
    # A 7-byte chunk forces many reads; the digest must not depend on the chunking.
    assert sha256_of(path, chunk_bytes=7) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_rows_are_records_not_lines(extract: Path) -> None:
    # sites.csv: BOM, CRLF, a quoted comma and a quoted newline: 2 records on 4 lines.
    facts = read_file_facts(extract / "sites.csv")
    assert facts.rows == 2
    assert facts.columns == ("site_id", "site_name", "site_type", "state")


def test_missing_manifest(extract: Path) -> None:
    (extract / "manifest.json").unlink()
    assert verify_extract(extract, CONTRACT) == [
        f"manifest.json: missing (expected at {extract / 'manifest.json'})"
    ]


def test_unreadable_manifest(extract: Path) -> None:
    (extract / "manifest.json").write_text("{not json")
    (problem,) = verify_extract(extract, CONTRACT)
    assert problem.startswith("manifest.json: unreadable JSON")


def test_missing_file(extract: Path) -> None:
    (extract / "sites.csv").unlink()
    assert verify_extract(extract, CONTRACT) == ["sites.csv: missing file"]


def test_missing_required_column(extract: Path) -> None:
    contract = {**CONTRACT, "sites.csv": [*CONTRACT["sites.csv"], "region"]}
    assert verify_extract(extract, contract) == ["sites.csv: missing required column(s) region"]


def test_wrong_row_count(extract: Path) -> None:
    manifest = _manifest(extract)
    manifest["files"]["tumor_assessments.csv"]["rows"] = 13
    _write_manifest(extract, manifest)
    assert verify_extract(extract, CONTRACT) == [
        "tumor_assessments.csv: 12 data rows in the file, manifest.json says 13"
    ]


def test_wrong_sha256(extract: Path) -> None:
    manifest = _manifest(extract)
    actual = manifest["files"]["sites.csv"]["sha256"]
    manifest["files"]["sites.csv"]["sha256"] = "0" * 64
    _write_manifest(extract, manifest)
    assert verify_extract(extract, CONTRACT) == [
        f"sites.csv: SHA-256 {actual} differs from manifest.json ({'0' * 64})"
    ]


def test_file_absent_from_manifest(extract: Path) -> None:
    manifest = _manifest(extract)
    del manifest["files"]["sites.csv"]
    _write_manifest(extract, manifest)
    assert verify_extract(extract, CONTRACT) == ["sites.csv: no entry in manifest.json"]


def test_extra_columns_are_not_problems_but_are_listed(extract: Path) -> None:
    facts = read_file_facts(extract / "tumor_assessments.csv")
    assert extra_columns(CONTRACT["tumor_assessments.csv"], facts) == ["site_comment"]
    assert verify_extract(extract, CONTRACT) == []


def test_sql_entry_raises_with_every_problem_named(extract: Path) -> None:
    (extract / "sites.csv").unlink()
    manifest = _manifest(extract)
    manifest["files"]["tumor_assessments.csv"]["rows"] = 99
    _write_manifest(extract, manifest)
    with pytest.raises(RuntimeError) as error:
        verify_extract_sql_entry(str(extract), json.dumps(CONTRACT))
    message = str(error.value)
    assert "nothing was built" in message
    assert "sites.csv: missing file" in message
    assert "tumor_assessments.csv: 12 data rows in the file, manifest.json says 99" in message


def test_sql_entry_returns_a_summary_when_fine(extract: Path) -> None:
    assert "verified" in verify_extract_sql_entry(str(extract), json.dumps(CONTRACT))
