"""The publish step's PHI scan (il2_registry.publish.phi_value_problems) on a small candidate
file: initials count only right after a PHI marker *word*, so the warehouse's own column names
(`patient_id`, written by audit.rejected_rows and audit.findings) are not taken for a marker.
Found on the 20,000-patient messy extract, where a patient's initials are `ID` and the
first scan refused to publish over 9,000 `patient_id` texts."""

from __future__ import annotations

from datetime import date
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


def test_a_value_in_several_columns_is_counted_in_each_column(tmp_path: Path) -> None:
    # The scan reads each distinct value once (issue 10: a patient id sits in some twenty
    # tables), but each column still reports its own rows, and a column's exclusions still
    # apply to a value that another column reports.
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    for schema in ("audit", "core", "marts"):
        con.execute(f"create schema {schema}")
    con.execute(
        "create table core.a as select * from (values "
        "('MRN4471', 'pt: JS'), ('MRN4471', 'pt: JS'), ('seen MRN4471 and mrn4471', null), "
        "('born 1960-04-12', 'fine'), (null, '4/12/1960')) as v(x, w)"
    )
    con.execute("create table marts.b as select * from (values ('MRN4471'), ('other MRN4472')) as v(y)")
    con.execute(
        "create table audit.findings as select * from (values "
        "('pt: JS MRN4471', '4/12/1960'), ('row 1960-04-12', 'pt: JS')) as v(detail, value)"
    )
    con.close()
    phi = {**PHI, "birth_date": [date(1960, 4, 12)]}
    assert phi_value_problems(tmp_path / "w.duckdb", "w", phi) == [
        # detail: the MRN token once; its initials and date are not looked for (warehouse text)
        "audit.findings.detail holds an MRN of the extract in 1 value(s) (PHI)",
        # value: 'pt: JS' once (initials are looked for here); '4/12/1960' is an event date
        # column, so the birth date core.a.w reports is not counted here
        "audit.findings.value holds initials after a PHI marker of the extract in 1 value(s) (PHI)",
        # w: 'pt: JS' in two rows (the value audit.findings.value holds once), '4/12/1960' once
        "core.a.w holds initials after a PHI marker of the extract in 2 value(s) (PHI)",
        "core.a.w holds a birth date of the extract in 1 value(s) (PHI)",
        # x: 'MRN4471' in two rows (the value marts.b.y holds once), plus two tokens in one row
        # ('seen MRN4471 and mrn4471', upper-cased): 1 + 1 + 2; 'born 1960-04-12' once
        "core.a.x holds an MRN of the extract in 4 value(s) (PHI)",
        "core.a.x holds a birth date of the extract in 1 value(s) (PHI)",
        # y: 'MRN4471' in one row; MRN4472 is another number
        "marts.b.y holds an MRN of the extract in 1 value(s) (PHI)",
    ]


def test_mrns_without_a_common_prefix_are_all_looked_for(tmp_path: Path) -> None:
    # The MRN scan reads only values holding the MRNs' common prefix; with none in common
    # ('MRN4471' and 'X9') every value is read: 'x9' (upper-cased) and 'MRN4471' are tokens
    # here, 'X90' is not X9.
    path = candidate(tmp_path / "w.duckdb", ["ref x9", "X90", "MRN4471"], relation="core.t")
    problems = phi_value_problems(path, "w", {**PHI, "mrn": ["MRN4471", "X9"]})
    assert problems == ["core.t.column_name holds an MRN of the extract in 2 value(s) (PHI)"]
