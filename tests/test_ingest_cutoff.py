"""A patient whose day 1 is after the data cut-off leaves the analysis with a finding.

The marts work on int_analysis_population (day 1 on or before the cut-off). A patient left
out there must be named in audit.findings (check day1_after_data_cutoff), never silently
dropped. The hand fixture extract_small has no such patient, so this test copies it and adds
one enrolment row (and rewrites the manifest).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt
from fixtures.write_manifest import write_manifest

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"

# Enrolled 2018-04-20, after the fixture's 2018-03-31 cut-off, no dose in the dose log: day 1
# is the enrolment form's il2_start_date (2018-04-20, source enrolment_form). patients.csv
# has 12 data rows, so this is row 13.
LATE_PATIENT_ROW = (
    "S002-0005,S002,MRN2000005,YZA,1966-06-06,M,WHITE,2018-04-02,MELANOMA,2017-01,2017-12,"
    "2018-04-20,2018-04-21 10:00\n"
)


@pytest.fixture(scope="module")
def late_patient_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("late_patient")
    extract = work / "extract"
    shutil.copytree(FIXTURE, extract)
    with (extract / "patients.csv").open("a", encoding="utf-8", newline="") as patients:
        patients.write(LATE_PATIENT_ROW)
    write_manifest(extract, "2018-03-31")
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_patient_after_cutoff_is_kept_in_core_and_reported(late_patient_warehouse: Path) -> None:
    # the row is used (7 fixture patients used + this one = 8), so core keeps it ...
    assert rows(
        late_patient_warehouse,
        "select rows_used from audit.reconciliation where file = 'patients.csv'",
    ) == [(8,)]
    assert rows(
        late_patient_warehouse, "select count(*) from core.dim_patient where patient_id = 'S002-0005'"
    ) == [(1,)]
    # ... the analysis (marts.cohort: one row per analysed patient) does not
    # (day 1 2018-04-20 > cut-off 2018-03-31) ...
    assert rows(
        late_patient_warehouse,
        "select count(*) from marts.cohort where patient_id = 'S002-0005'",
    ) == [(0,)]
    # ... and the finding names the file, row, patient and both dates.
    assert rows(
        late_patient_warehouse,
        "select file, row_number, patient_id, column_name, value, detail from audit.findings "
        "where check_name = 'day1_after_data_cutoff'",
    ) == [
        (
            "patients.csv",
            13,
            "S002-0005",
            "il2_start_date",
            "2018-04-20",
            "day 1 2018-04-20 (enrolment_form) is after the data cut-off 2018-03-31: "
            "patient left out of the analysis (kept in core)",
        )
    ]


def test_every_core_patient_is_analysed_or_reported(late_patient_warehouse: Path) -> None:
    # Nothing disappears silently: core patients = analysed patients + reported patients.
    assert (
        rows(
            late_patient_warehouse,
            "select patient_id from core.dim_patient "
            "except select patient_id from marts.cohort "
            "except select patient_id from audit.findings where check_name = 'day1_after_data_cutoff'",
        )
        == []
    )
