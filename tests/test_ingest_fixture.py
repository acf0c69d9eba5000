"""The hand-written fixture extract (tests/fixtures/extract_small) through `dbt build`.

Every expected value below is worked out by hand from the fixture files; the reasoning is in
the comments. The fixture covers: BOM + CRLF + quoted comma/newline (sites.csv), a re-edited
patient and a last_modified tie, US dates, partial dates, NA tokens, a patient without doses,
a multi-agent regimen, unmapped regimen/AE/toxicity text, one bad row of most kinds, an
extra column (tumor_assessments.site_comment) and records after the 2018-03-31 cut-off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from test_ingest_phi import phi_leaks

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"


@pytest.fixture(scope="module")
def fixture_warehouse(small_fixture_warehouse: Path) -> Path:
    """The fixture extract's warehouse (conftest.small_fixture_warehouse, built once per session)."""
    return small_fixture_warehouse


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_reconciliation(fixture_warehouse: Path) -> None:
    # file: (in file, used, superseded, rejected)
    expected = {
        "sites.csv": (2, 2, 0, 0),  # 2 records on 4 physical lines (quoted CRLF in a name)
        # 12 rows: S001-0002 row 3 is an older edit (superseded by row 2, later last_modified);
        # S001-0004 rows 8/9 tie on last_modified: the later row (9) wins, 8 superseded;
        # rejected: 10 (site S003 unknown), 11 (exact copy of row 1), 12 (disease LUNG).
        "patients.csv": (12, 7, 2, 3),
        "baseline.csv": (8, 7, 0, 1),  # row 8: patient S009-9999 does not exist
        "prior_therapies.csv": (10, 9, 0, 1),  # row 8: start_date NA (required)
        "il2_cycles.csv": (7, 7, 0, 0),
        "il2_doses.csv": (15, 13, 0, 2),  # 14: same dose key as 13; 15: dose_number 16
        "adverse_events.csv": (7, 5, 0, 2),  # 6: ae_seq 2 again for S002-0002; 7: copy of 1
        "tumor_assessments.csv": (12, 10, 0, 2),  # 10: response XX; 12: no date
        "subsequent_therapies.csv": (3, 3, 0, 0),
        "follow_up.csv": (8, 6, 0, 2),  # 5: DEAD without death_date; 8: unknown patient
    }
    got = rows(
        fixture_warehouse,
        "select file, rows_in_file, rows_used, rows_superseded, rows_rejected from audit.reconciliation",
    )
    assert {file: tuple(values) for file, *values in got} == expected


def test_rejected_rows(fixture_warehouse: Path) -> None:
    got = set(
        rows(
            fixture_warehouse, "select file, row_number, column_name, value, reason from audit.rejected_rows"
        )
    )
    assert got == {
        ("patients.csv", 10, "site_id", "S003", "orphan_site"),
        ("patients.csv", 11, None, None, "exact_duplicate"),
        ("patients.csv", 12, "disease", "LUNG", "invalid_code"),
        ("baseline.csv", 8, "patient_id", "S009-9999", "orphan_patient"),
        ("prior_therapies.csv", 8, "start_date", "NA", "missing_required"),
        (
            "il2_doses.csv",
            14,
            "patient_id,course_number,cycle_in_course,dose_number",
            "S001-0004|1|1|1",
            "duplicate_key",
        ),
        ("il2_doses.csv", 15, "dose_number", "16", "invalid_number"),
        ("adverse_events.csv", 6, "patient_id,ae_seq", "S002-0002|2", "duplicate_key"),
        ("adverse_events.csv", 7, None, None, "exact_duplicate"),
        ("tumor_assessments.csv", 10, "overall_response", "XX", "invalid_code"),
        ("tumor_assessments.csv", 12, "assessment_date", "", "missing_required"),
        ("follow_up.csv", 5, "death_date", "", "missing_required"),
        ("follow_up.csv", 8, "patient_id", "S009-9999", "orphan_patient"),
    }


def test_findings(fixture_warehouse: Path) -> None:
    got = set(rows(fixture_warehouse, "select file, row_number, check_name, column_name from audit.findings"))
    assert got == {
        # baseline S002-0002: ecog 7 (0-4) and LDH 20000 (50-10000) nulled, row kept
        ("baseline.csv", 4, "value_nulled", "ecog"),
        ("baseline.csv", 4, "value_nulled", "ldh_value"),
        ("adverse_events.csv", 5, "value_nulled", "ctcae_grade"),  # grade 9
        ("prior_therapies.csv", 5, "unmapped_regimen", "regimen_text"),  # investigational agent
        ("adverse_events.csv", 5, "unmapped_ae_term", "ae_term"),  # "Strange feeling, unspecified"
        ("il2_cycles.csv", 4, "unmapped_toxicity_term", "stop_toxicity_2"),  # "Weird tox thing"
        # S001-0002: enrolment form 01/16/2017 (winning edit), first dose 2017-01-17 09:00
        ("patients.csv", 2, "day1_mismatch", "il2_start_date"),
        # S001-0001 after day 1 (2017-01-09): PR 03-01, CR 05-01, PR 07-01 <- CR then PR
        ("tumor_assessments.csv", 4, "cr_followed_by_pr", "overall_response"),
        # S002-0002: Keytruda on the prior form starts 2017-05-01, day 1 is 2017-03-13
        ("prior_therapies.csv", 6, "pd1_pdl1_on_prior_form_after_day1", "start_date"),
        ("il2_doses.csv", 12, "dose_without_cycle", "cycle_in_course"),  # S001-0003 course 1 cycle 2
        ("subsequent_therapies.csv", 3, "after_data_cutoff", "start_date"),  # 2018-06-01
        ("tumor_assessments.csv", 11, "after_data_cutoff", "assessment_date"),  # 2018-04-15
        ("follow_up.csv", 6, "after_data_cutoff", "contact_date"),  # 2018-05-01
        ("tumor_assessments.csv", None, "extra_column", "site_comment"),
        # Rejected rows of analysed patients in files that feed endpoints: S002-0003's DEAD
        # contact without death_date (row 5) and response XX (row 10), S001-0004's assessment
        # without a date (row 12). The orphan follow-up row 8 (S009-9999) is not analysed.
        ("follow_up.csv", 5, "endpoint_affected_by_rejected_row", "death_date"),
        ("tumor_assessments.csv", 10, "endpoint_affected_by_rejected_row", "overall_response"),
        ("tumor_assessments.csv", 12, "endpoint_affected_by_rejected_row", "assessment_date"),
    }


def test_patients(fixture_warehouse: Path) -> None:
    got = {
        row[0]: row[1:]
        for row in rows(
            fixture_warehouse,
            "select patient_id, disease, sex, race, day1_date, day1_source, age_at_day1, "
            "primary_diagnosis_date, primary_diagnosis_date_imputation, "
            "metastatic_diagnosis_date, metastatic_diagnosis_date_imputation from core.dim_patient",
        )
    }
    d = dt.date
    assert got == {
        # born 1960-04-12, day 1 = first dose 2017-01-09: 56 (birthday not reached);
        # primary dx "2015-03" -> 15th (D), metastatic dx "2016" -> July 1st (M)
        "S001-0001": (
            "mM",
            "M",
            "WHITE",
            d(2017, 1, 9),
            "dose_log",
            56,
            d(2015, 3, 15),
            "D",
            d(2016, 7, 1),
            "M",
        ),
        # winning edit row 2: FEMALE -> F, US dates; day 1 from the dose log (2017-01-17)
        "S001-0002": (
            "mRCC",
            "F",
            "WHITE",
            d(2017, 1, 17),
            "dose_log",
            61,
            d(2014, 6, 10),
            None,
            d(2016, 8, 15),
            "D",
        ),
        # " male " -> M, "black" -> BLACK; no doses: day 1 = enrolment 2017-02-13; dx "NA" -> null
        "S002-0001": (
            "mM",
            "M",
            "BLACK",
            d(2017, 2, 13),
            "enrolment_form",
            47,
            None,
            None,
            d(2016, 11, 15),
            "D",
        ),
        "S002-0002": (
            "mM",
            "F",
            "ASIAN",
            d(2017, 3, 13),
            "dose_log",
            68,
            d(2012, 7, 1),
            "M",
            d(2016, 12, 15),
            None,
        ),
        # born 1920-02-02: 97 at day 1 -> 90 (capped); dx dates UNK and "." -> null
        "S002-0003": ("mRCC", "U", "UNKNOWN", d(2017, 4, 10), "dose_log", 90, None, None, None, None),
        "S001-0003": (
            "mM",
            "M",
            "OTHER",
            d(2017, 5, 15),
            "dose_log",
            51,
            d(2016, 1, 20),
            None,
            d(2016, 10, 3),
            None,
        ),
        # tie on last_modified: the later row (race BLACK) wins over WHITE
        "S001-0004": (
            "mRCC",
            "F",
            "BLACK",
            d(2017, 6, 12),
            "dose_log",
            36,
            d(2017, 1, 15),
            "D",
            d(2017, 5, 15),
            "D",
        ),
    }


def test_sites_read_through_bom_crlf_and_quoted_newline(fixture_warehouse: Path) -> None:
    assert rows(fixture_warehouse, "select site_id, site_name, site_type from core.dim_site order by 1") == [
        ("S001", "University Hospital, Main Campus", "ACADEMIC"),
        ("S002", "Community Cancer\r\nCenter", "COMMUNITY"),  # "community" normalised
    ]


def test_regimens_map_to_agents(fixture_warehouse: Path) -> None:
    got = set(
        rows(
            fixture_warehouse,
            "select a.therapy_line_id, a.agent_name, a.drug_class from core.fct_therapy_line_agents a",
        )
    )
    assert got == {
        ("prior_therapies:1", "nivolumab", "PD-1"),  # nivo + ipi: two agents
        ("prior_therapies:1", "ipilimumab", "CTLA-4"),
        ("prior_therapies:2", "dabrafenib", "BRAF/MEK"),
        ("prior_therapies:2", "trametinib", "BRAF/MEK"),
        ("prior_therapies:3", "sunitinib", "VEGF TKI"),
        ("prior_therapies:4", "nivolumab", "PD-1"),  # OPDIVO 240 mg q2w
        ("prior_therapies:5", "unmapped", "UNMAPPED"),
        ("prior_therapies:6", "pembrolizumab", "PD-1"),  # Keytruda
        ("prior_therapies:7", "pd1_agent_not_recorded", "PD-1"),
        ("prior_therapies:9", "interferon alfa", "cytokine"),
        ("prior_therapies:10", "pembrolizumab", "PD-1"),  # " pembro "
        ("subsequent_therapies:1", "pembrolizumab", "PD-1"),
        ("subsequent_therapies:2", "ipilimumab", "CTLA-4"),
        ("subsequent_therapies:3", "cabozantinib", "VEGF TKI"),
    }


def test_cycles_count_doses_and_doses_know_their_cycle(fixture_warehouse: Path) -> None:
    cycles = rows(
        fixture_warehouse,
        "select patient_id, course_number, cycle_in_course, cycle_seq, doses_given from core.fct_il2_cycles "
        "where patient_id in ('S001-0001', 'S001-0004') order by 1, 2, 3",
    )
    # S001-0001: 3 doses in cycle 1, 2 in cycle 2; S001-0004: 1 usable dose (the duplicate
    # key and the dose number 16 are rejected)
    assert cycles == [("S001-0001", 1, 1, 1, 3), ("S001-0001", 1, 2, 2, 2), ("S001-0004", 1, 1, 1, 1)]
    orphan_doses = rows(
        fixture_warehouse,
        "select patient_id, source_row_number from core.fct_il2_doses where not has_cycle_record",
    )
    assert orphan_doses == [("S001-0003", 12)]


def test_extract_dimension(fixture_warehouse: Path) -> None:
    assert rows(
        fixture_warehouse,
        "select extract_id, data_cutoff_date, contract_version, extract_dir from core.dim_extract",
    ) == [("fixture-extract_small", dt.date(2018, 3, 31), 1, str(FIXTURE.resolve()))]


def test_no_phi_in_analyst_schemas(fixture_warehouse: Path) -> None:
    assert phi_leaks(fixture_warehouse, FIXTURE) == []
