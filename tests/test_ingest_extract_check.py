"""Extract verification (python/il2_registry/extract_check.py): each problem is found and named,
as a problem record (file, row, column, value, problem, valid)."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from il2_registry.contract import load_contract
from il2_registry.extract_check import Problem, check_extract, code_problems, hook_result, near_miss
from il2_registry.extract_reader import guess_encoding, header_delimiter, read_file_facts, sha256_of

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    target = tmp_path / "extract"
    shutil.copytree(FIXTURE, target)
    return target


def _manifest(extract: Path) -> dict:
    return json.loads((extract / "manifest.json").read_text())


def _write_manifest(extract: Path, manifest: dict) -> None:
    (extract / "manifest.json").write_text(json.dumps(manifest))


def stopping(extract: Path) -> list[str]:
    return [p.message() for p in check_extract(extract, values=False).problems if p.stops_build]


def test_the_fixture_extract_verifies(extract: Path) -> None:
    report = check_extract(extract)
    assert report.ok
    assert report.files["sites.csv"]["rows"] == 2
    assert report.files["tumor_assessments.csv"]["extra_columns"] == ["site_comment"]


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
    assert stopping(extract) == [
        f"manifest.json: missing (expected at {extract / 'manifest.json'}); "
        "write one with `il2reg extract manifest`"
    ]


def test_unreadable_manifest(extract: Path) -> None:
    (extract / "manifest.json").write_text("{not json")
    (problem,) = stopping(extract)
    assert problem.startswith("manifest.json: unreadable JSON")


def test_missing_file(extract: Path) -> None:
    (extract / "sites.csv").unlink()
    assert stopping(extract) == ["sites.csv: missing file"]


def test_missing_required_column(extract: Path) -> None:
    path = extract / "subsequent_therapies.csv"
    path.write_text(path.read_text().replace("regimen_text", "regimen"), encoding="utf-8")
    (problem,) = [p for p in stopping(extract) if "missing required" in p]
    assert problem == (
        "subsequent_therapies.csv: missing required column(s) regimen_text; "
        "the header has patient_id, regimen, start_date "
        "(valid: a header with patient_id, regimen_text, start_date)"
    )


def test_wrong_row_count(extract: Path) -> None:
    manifest = _manifest(extract)
    manifest["files"]["tumor_assessments.csv"]["rows"] = 13
    _write_manifest(extract, manifest)
    (problem,) = stopping(extract)
    assert problem.startswith("tumor_assessments.csv: 12 data rows in the file, manifest.json says 13")


def test_wrong_sha256(extract: Path) -> None:
    manifest = _manifest(extract)
    actual = manifest["files"]["sites.csv"]["sha256"]
    manifest["files"]["sites.csv"]["sha256"] = "0" * 64
    _write_manifest(extract, manifest)
    (problem,) = stopping(extract)
    assert problem.startswith(f"sites.csv: SHA-256 {actual} differs from manifest.json ({'0' * 64})")


def test_file_absent_from_manifest(extract: Path) -> None:
    manifest = _manifest(extract)
    del manifest["files"]["sites.csv"]
    _write_manifest(extract, manifest)
    assert stopping(extract) == ["sites.csv: no entry in manifest.json"]


def test_phi_values_are_redacted_in_value_problems(extract: Path) -> None:
    # A contract in which the PHI column `initials` is coded (it is free text in the real one):
    # its values outside the codes are reported, the values themselves never shown.
    contract = load_contract()
    patients = contract.file("patients.csv")
    coded = tuple(
        replace(c, kind="code", codes=("XYZ",)) if c.name == "initials" else c for c in patients.columns
    )
    problems = code_problems(replace(patients, columns=coded), extract / "patients.csv", contract)
    initials = [p for p in problems if p.column == "initials"]
    assert initials and {p.value for p in initials} == {"<redacted>"}
    assert all(not p.stops_build for p in initials)


def test_problem_message_names_file_row_column_value_and_valid() -> None:
    problem = Problem(
        "baseline.csv", "not a code", row=3, column="braf_status", value="WILDTYPE", valid="one of X"
    )
    assert problem.message() == "baseline.csv row 3: braf_status = 'WILDTYPE': not a code (valid: one of X)"


def test_near_miss_finds_case_white_space_and_aliases() -> None:
    assert near_miss("patient_id", (), ["PATIENT_ID"]) == ("PATIENT_ID", "different case")
    assert near_miss("patient_id", (), [" patient_id"]) == (" patient_id", "white space around it")
    assert near_miss("patient_id", ("subject_id",), ["Subject_ID"]) == ("Subject_ID", "a known alias")
    assert near_miss("patient_id", (), ["mrn"]) is None


def test_encoding_and_delimiter_guesses() -> None:
    assert guess_encoding("patient_id,naïve\n".encode()) == "utf-8"
    assert guess_encoding("naïve “quoted”".encode("windows-1252")) == "windows-1252"
    assert guess_encoding("naïve".encode("latin-1")) == "latin-1"
    assert header_delimiter("a;b;c") == ";"
    assert header_delimiter("a\tb\tc") == "\t"
    assert header_delimiter("a,b;c,d") == ","


def test_hook_result_lists_every_problem_without_raising(extract: Path) -> None:
    (extract / "sites.csv").unlink()
    manifest = _manifest(extract)
    manifest["files"]["tumor_assessments.csv"]["rows"] = 99
    _write_manifest(extract, manifest)
    result = json.loads(hook_result(str(extract)))
    assert result["ok"] is False
    assert "nothing was built" in result["message"]
    assert "  - sites.csv: missing file" in result["message"]
    assert "  - tumor_assessments.csv: 12 data rows in the file, manifest.json says 99" in result["message"]


def test_hook_result_when_fine(extract: Path) -> None:
    result = json.loads(hook_result(str(extract)))
    assert result == {
        "ok": True,
        "message": f"extract {extract.resolve()} verified: {len(load_contract().files)} files match "
        "manifest.json and the contract",
    }
