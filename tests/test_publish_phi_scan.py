"""The publish step's PHI scan (il2_registry.publish.phi_value_problems) on a small candidate
file: initials count only right after a PHI marker *word*, so the warehouse's own column names
(`patient_id`, written by audit.rejected_rows and audit.findings) are not taken for a marker.
Found on the 20,000-patient messy extract, where a patient's initials are `ID` and the
first scan refused to publish over 9,000 `patient_id` texts."""

from __future__ import annotations

from pathlib import Path

import duckdb

from il2_registry.publish import phi_value_problems

PHI = {"mrn": ["MRN4471"], "initials": ["ID", "JS"], "birth_date": []}


def candidate(path: Path, texts: list[str]) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema audit")
    con.execute("create table audit.rejected_rows (column_name varchar)")
    con.executemany("insert into audit.rejected_rows values (?)", [(t,) for t in texts])
    con.close()
    return path


def test_column_names_written_by_the_warehouse_are_not_initials(tmp_path: Path) -> None:
    path = candidate(tmp_path / "w.duckdb", ["patient_id", "patient_id,course_number", "PATIENT_ID"])
    assert phi_value_problems(path, "w", PHI) == []


def test_initials_after_a_marker_word_and_an_mrn_are_found(tmp_path: Path) -> None:
    # "pt: JS" is a marker word, a separator and the initials JS; "MRN4471" a whole MRN token
    path = candidate(tmp_path / "w.duckdb", ["fever, pt: JS", "seen MRN4471", "patient ID"])
    problems = phi_value_problems(path, "w", PHI)
    assert problems == [
        "audit.rejected_rows.column_name holds an MRN of the extract in 1 value(s) (PHI)",
        # "pt: JS" and "patient ID" (a marker word, a space, the initials ID)
        "audit.rejected_rows.column_name holds initials after a PHI marker of the extract"
        " in 2 value(s) (PHI)",
    ]
