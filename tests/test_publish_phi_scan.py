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


def candidate(path: Path, texts: list[str], relation: str = "audit.rejected_rows") -> Path:
    schema, _, _ = relation.partition(".")
    con = duckdb.connect(str(path))
    con.execute(f"create schema {schema}")
    con.execute(f"create table {relation} (column_name varchar)")
    con.executemany(f"insert into {relation} values (?)", [(t,) for t in texts])
    con.close()
    return path


def test_column_names_written_by_the_warehouse_are_not_initials(tmp_path: Path) -> None:
    path = candidate(tmp_path / "w.duckdb", ["patient_id", "patient_id,course_number", "PATIENT_ID"])
    assert phi_value_problems(path, "w", PHI) == []


def test_initials_after_a_marker_word_and_an_mrn_are_found(tmp_path: Path) -> None:
    # "pt: JS" is a marker word, a separator and the initials JS; "MRN4471" a whole MRN token
    texts = ["fever, pt: JS", "seen MRN4471", "patient ID"]
    path = candidate(tmp_path / "w.duckdb", texts, relation="core.fct_adverse_events")
    problems = phi_value_problems(path, "w", PHI)
    assert problems == [
        "core.fct_adverse_events.column_name holds an MRN of the extract in 1 value(s) (PHI)",
        # "pt: JS" and "patient ID" (a marker word, a space, the initials ID)
        "core.fct_adverse_events.column_name holds initials after a PHI marker of the extract"
        " in 2 value(s) (PHI)",
    ]


def test_the_warehouses_own_finding_details_are_not_scanned_for_initials(tmp_path: Path) -> None:
    # "the patient is analysed": marker word "patient", a space, then IS, initials of a patient
    # in the messy extract; the detail is composed by the warehouse, not written by a site.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema audit")
    con.execute("create table audit.findings (detail varchar)")
    con.execute(
        "insert into audit.findings values ('row rejected: the patient is analysed'), ('seen MRN4471')"
    )
    con.close()
    problems = phi_value_problems(tmp_path / "w.duckdb", "w", {**PHI, "initials": ["IS"]})
    # the MRN is still looked for in warehouse-written text
    assert problems == ["audit.findings.detail holds an MRN of the extract in 1 value(s) (PHI)"]
