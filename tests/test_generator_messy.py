"""`--messy`: every kind of bad row in docs/bad_rows.md is injected and recorded exactly.

The checks read the written files: each recorded row number points at a row that carries the
recorded defect, every row not recorded passes the contract's checks, and the manifest counts
the rows actually written.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import generate_extract
from test_generator import CODES, DATES, HEADERS, NA, is_valid_date, read_rows

REQUIRED = {
    "sites.csv": ["site_id"],
    "patients.csv": ["patient_id", "site_id", "disease", "il2_start_date", "last_modified"],
    "baseline.csv": ["patient_id"],
    "prior_therapies.csv": ["patient_id", "regimen_text", "start_date"],
    "il2_cycles.csv": ["patient_id", "course_number", "cycle_in_course", "admission_date"],
    "il2_doses.csv": ["patient_id", "course_number", "cycle_in_course", "dose_number", "admin_datetime"],
    "adverse_events.csv": ["patient_id", "ae_seq", "ae_term"],
    "tumor_assessments.csv": ["patient_id", "assessment_date", "overall_response"],
    "subsequent_therapies.csv": ["patient_id", "regimen_text", "start_date"],
    "follow_up.csv": ["patient_id", "contact_date", "vital_status"],
}
KEYS = {
    "sites.csv": ["site_id"],
    "baseline.csv": ["patient_id"],
    "il2_cycles.csv": ["patient_id", "course_number", "cycle_in_course"],
    "il2_doses.csv": ["patient_id", "course_number", "cycle_in_course", "dose_number"],
    "adverse_events.csv": ["patient_id", "ae_seq"],
}
ALL_REASONS = {
    "exact_duplicate",
    "orphan_patient",
    "orphan_site",
    "missing_required",
    "invalid_date",
    "invalid_code",
    "invalid_number",
    "duplicate_key",
}
RANGES = {
    ("baseline.csv", "ecog"): (0, 4),
    ("baseline.csv", "ldh_value"): (50, 10000),
    ("baseline.csv", "weight_kg"): (30, 250),
    ("adverse_events.csv", "ctcae_grade"): (1, 5),
}
INTEGER_REQUIRED = {
    ("il2_cycles.csv", "course_number"),
    ("il2_doses.csv", "dose_number"),
    ("adverse_events.csv", "ae_seq"),
}


def is_valid_timestamp(value: str) -> bool:
    from datetime import datetime

    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            datetime.strptime(value.strip(), fmt)
            return True
        except ValueError:
            pass
    return False


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_extract(
        tmp_path_factory.mktemp("messy") / "extract", "--profile", "paper", "--messy", "0.03"
    )


@pytest.fixture(scope="module")
def records(messy: Path) -> list[dict]:
    with open(messy.parent / "extract_truth" / "bad_rows.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rows(extract: Path, name: str) -> list[dict]:
    columns, rows = read_rows(extract / name)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_every_kind_is_injected_in_every_file(records: list[dict]) -> None:
    reasons = {r["reason"] for r in records if r["expected"] == "rejected"}
    assert reasons == ALL_REASONS
    assert {r["reason"] for r in records if r["expected"] == "nulled"} == {"value_nulled"}
    assert {r["file"] for r in records} == set(HEADERS)


def test_manifest_counts_the_rows_written(messy: Path) -> None:
    manifest = json.loads((messy / "manifest.json").read_text())
    for name in HEADERS:
        assert manifest["files"][name]["rows"] == len(read_rows(messy / name)[1]), name


def test_each_record_points_at_a_row_with_that_defect(messy: Path, records: list[dict]) -> None:
    patients = {r["patient_id"] for r in _rows(messy, "patients.csv")}
    sites = {r["site_id"] for r in _rows(messy, "sites.csv")}
    for name in HEADERS:
        rows = _rows(messy, name)
        mine = [r for r in records if r["file"] == name]
        for rec in mine:
            n = int(rec["row_number"])
            row = rows[n - 1]  # data rows counted from 1, header excluded
            col, reason, value = rec["column"], rec["reason"], rec["value"]
            earlier = rows[: n - 1]
            if reason != "exact_duplicate":
                assert row not in earlier, (name, n, "also an exact duplicate: two reasons")
            if reason == "exact_duplicate":
                assert row in earlier, (name, n)
            elif reason == "duplicate_key":
                key = KEYS[name]
                same_key = [e for e in earlier if all(e[k] == row[k] for k in key)]
                assert same_key and row not in same_key, (name, n)
            elif reason == "orphan_patient":
                assert row["patient_id"] == value and value not in sites and value.split("-")[0] not in sites
            elif reason == "orphan_site":
                assert row["site_id"] == value and value not in sites
            elif reason == "missing_required":
                assert row[col].strip().upper() in NA, (name, n, col, row[col])
                if col == "death_date":
                    assert row["vital_status"] == "DEAD"
            else:
                assert row[col] == value, (name, n, col)
                if reason == "invalid_date":
                    if name == "il2_doses.csv":
                        assert not is_valid_timestamp(value), value
                    else:
                        assert not is_valid_date(value, True), value
                elif reason == "invalid_code":
                    assert value.strip().upper() not in CODES[(name, col)]
                elif reason == "invalid_number":
                    assert not value.isdigit() or not 1 <= int(value) <= 15
                elif reason == "value_nulled":
                    lo_hi = RANGES.get((name, col))
                    if lo_hi:
                        try:
                            number = float(value)
                        except ValueError:
                            number = None
                        assert number is None or not lo_hi[0] <= number <= lo_hi[1]
                    else:
                        assert value.upper() not in CODES[(name, col)]
        # Patients referenced by rejected rows other than orphans exist.
        for rec in mine:
            row = rows[int(rec["row_number"]) - 1]
            if rec["reason"] not in ("orphan_patient", "orphan_site", "missing_required") and name not in (
                "sites.csv",
                "patients.csv",
            ):
                assert row["patient_id"] in patients


def test_rows_not_recorded_are_good(messy: Path, records: list[dict]) -> None:
    """Every row that is not recorded as bad passes the contract (no unrecorded defects)."""
    bad = {(r["file"], int(r["row_number"])) for r in records if r["expected"] == "rejected"}
    nulled = {(r["file"], int(r["row_number"]), r["column"]) for r in records if r["expected"] == "nulled"}
    patients = {
        r["patient_id"]
        for i, r in enumerate(_rows(messy, "patients.csv"), 1)
        if ("patients.csv", i) not in bad
    }
    for name in HEADERS:
        seen: set = set()
        keys: set = set()
        for i, row in enumerate(_rows(messy, name), start=1):
            if (name, i) in bad:
                continue
            for col in REQUIRED[name]:
                assert row[col].strip().upper() not in NA, (name, i, col)
            if name == "follow_up.csv" and row["vital_status"] == "DEAD":
                assert row["death_date"].strip() not in NA, (name, i)
            if name not in ("sites.csv", "patients.csv"):
                assert row["patient_id"] in patients, (name, i)
            for (f, col), codes in CODES.items():
                v = row[col].strip().upper() if f == name else ""
                if f == name and v not in NA and (name, i, col) not in nulled:
                    assert v in codes, (name, i, col, v)
            for (f, col), partial in DATES.items():
                if f == name and row[col].strip() not in NA:
                    assert is_valid_date(row[col], partial), (name, i, col, row[col])
            for f, col in INTEGER_REQUIRED:
                if f == name:
                    assert row[col].isdigit(), (name, i, col)
            frozen = tuple(row.values())
            assert frozen not in seen, (name, i, "unrecorded exact duplicate")
            seen.add(frozen)
            if name in KEYS:
                key = tuple(row[k] for k in KEYS[name])
                assert key not in keys, (name, i, "unrecorded duplicate key")
                keys.add(key)


def test_clinical_truth_is_unchanged_by_bad_rows(messy: Path, paper_extract: Path) -> None:
    import pandas as pd

    clean = pd.read_csv(paper_extract.parent / "extract_truth" / "patients.csv")
    dirty = pd.read_csv(messy.parent / "extract_truth" / "patients.csv")
    columns = [
        "patient_id",
        "cohort",
        "day1",
        "best_overall_response",
        "os_days",
        "os_event",
        "pfs_days",
        "pfs_event",
    ]
    pd.testing.assert_frame_equal(clean[columns], dirty[columns])


def test_row_numbers_stay_exact_across_chunks_and_workers(tmp_path: Path, monkeypatch) -> None:
    from il2_registry.generator import api

    monkeypatch.setattr(api, "SCALE_CHUNK", 300)  # 4 chunks
    one = tmp_path / "one" / "extract"
    two = tmp_path / "two" / "extract"
    api.generate_extract(one, profile="scale", seed=9, patients=1000, messy=0.2, workers=1)
    api.generate_extract(two, profile="scale", seed=9, patients=1000, messy=0.2, workers=2)
    for name in [*HEADERS, "manifest.json"]:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    with open(tmp_path / "one" / "extract_truth" / "bad_rows.csv", encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    later_chunks = [r for r in records if r["file"] == "il2_doses.csv" and int(r["row_number"]) > 5000]
    assert later_chunks  # records beyond the first chunk exist
    files = {name: _rows(one, name) for name in HEADERS}
    for rec in records:
        rows = files[rec["file"]]
        n = int(rec["row_number"])
        if rec["expected"] == "rejected" and rec["reason"] != "exact_duplicate":
            assert rows[n - 1] not in rows[: n - 1], rec  # one reason only, even at a high rate
        if rec["expected"] == "nulled" or rec["reason"] in ("invalid_date", "invalid_code", "invalid_number"):
            assert files[rec["file"]][int(rec["row_number"]) - 1][rec["column"]] == rec["value"], rec
