"""Site data quality on the hand-written fixture extract (tests/fixtures/extract_small):
site_id on audit rows and per-patient marts, audit.site_scorecard and audit.site_quality_counts.

Expected values are worked out by hand from the fixture files (reasoning in comments). Sites:
S001 (patients S001-0001..0004) and S002 (S002-0001..0003); S003-0001 names a site missing from
sites.csv (rejected, orphan_site); S002-0004 has disease LUNG (rejected, invalid_code); S009-9999
appears in baseline and follow-up only (orphan_patient). Data cut-off 2018-03-31.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(small_fixture_warehouse: Path) -> Path:
    """The fixture extract's warehouse (conftest.small_fixture_warehouse, built once per session)."""
    return small_fixture_warehouse


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def scorecard(warehouse: Path) -> dict[str, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.execute("select * from audit.site_scorecard").df()
    return {r["site_id"]: r for r in frame.to_dict("records")}


def test_rejected_rows_carry_the_patients_site(warehouse: Path) -> None:
    got = dict(
        ((file, row), site)
        for file, row, site in rows(
            warehouse, "select file, row_number, site_id from audit.rejected_rows where file = 'patients.csv'"
        )
    )
    # row 11 repeats S001-0001 exactly (its patient is in core: S001); row 10 is S003-0001, whose
    # site is not in sites.csv, and row 12 S002-0004 (LUNG): neither patient reaches core, so the
    # site is the one the row names.
    assert got == {("patients.csv", 11): "S001", ("patients.csv", 10): "S003", ("patients.csv", 12): "S002"}
    # S009-9999 (baseline row 8, follow-up row 8) is in no patients.csv row: no site
    orphans = rows(
        warehouse, "select distinct site_id from audit.rejected_rows where patient_id = 'S009-9999'"
    )
    assert orphans == [(None,)]


def test_findings_and_per_patient_marts_carry_site_id(warehouse: Path) -> None:
    # every finding about a known patient has that patient's site (the id starts with it here)
    mismatched = rows(
        warehouse,
        "select patient_id, site_id from audit.findings where patient_id is not null "
        "and site_id is distinct from left(patient_id, 4)",
    )
    assert mismatched == []
    # the extra_column finding (tumor_assessments.site_comment) is about the file: no patient, no site
    assert rows(warehouse, "select site_id from audit.findings where check_name = 'extra_column'") == [
        (None,)
    ]
    for mart in ("best_response", "survival", "adverse_events", "il2_cycles", "stop_toxicities"):
        bad = rows(
            warehouse, f"select count(*) from marts.{mart} where site_id is distinct from left(patient_id, 4)"
        )
        assert bad == [(0,)], mart


def test_scorecard_counts_by_hand(warehouse: Path) -> None:
    card = scorecard(warehouse)
    # one row per site of sites.csv (S001, S002); S003 is not a site of the extract
    assert set(card) == {"S001", "S002"}
    s1, s2 = card["S001"], card["S002"]
    assert (s1["n_patients"], s1["n_patients_in_analysis"]) == (4, 4)
    assert (s2["n_patients"], s2["n_patients_in_analysis"]) == (3, 3)
    # patients.csv: S001 rows S001-0001 x2, S001-0002 x2, S001-0003, S001-0004 x2 = 7;
    # S002 rows 0001, 0002, 0003 and the rejected 0004 = 4
    assert (s1["rows_read_patients"], s2["rows_read_patients"]) == (7, 4)
    # rejected: S001 patients.csv row 11 (exact duplicate), one prior-therapy row, two dose rows,
    # one adverse event, one tumour assessment = 6; S002 patients.csv row 12, one adverse event,
    # one tumour assessment, one follow-up row (DEAD without a date) = 4
    assert (s1["rows_rejected"], s2["rows_rejected"]) == (6, 4)
    assert (s1["rows_rejected_il2_doses"], s2["rows_rejected_follow_up"]) == (2, 1)


def test_scorecard_completeness_by_hand(warehouse: Path) -> None:
    card = scorecard(warehouse)
    s1, s2 = card["S001"], card["S002"]
    # S001: every baseline row has ECOG 0/1 and an LDH; every patient a vital status
    for column in (
        "pct_with_day1",
        "pct_with_baseline_ldh",
        "pct_with_baseline_ecog",
        "pct_with_vital_status",
    ):
        assert s1[column] == pytest.approx(100.0), column
    # S002 baseline: 0001 ECOG NA and LDH '.', 0002 ECOG 7 (out of range) and LDH 20000 (out of
    # range), both nulled; only 0003 (ECOG 2, LDH 300) has both: 1 of 3
    assert s2["pct_with_baseline_ecog"] == pytest.approx(100 / 3)
    assert s2["pct_with_baseline_ldh"] == pytest.approx(100 / 3)
    # S002 follow-up: 0001 DEAD, 0002 LOST; 0003's only row is rejected: 2 of 3
    assert s2["pct_with_vital_status"] == pytest.approx(200 / 3)


def test_scorecard_days_since_last_contact_by_hand(warehouse: Path) -> None:
    card = scorecard(warehouse)
    s1, s2 = card["S001"], card["S002"]
    # S001, all alive: last known alive 2018-01-15 (75 days to 2018-03-31), 2018-02-01 (58),
    # 2018-03-01 (30) and S001-0003's contact of 2018-05-01, after the cut-off, capped to it (0):
    # sorted 0, 30, 58, 75 -> median (30 + 58) / 2 = 44; none over 180 days
    assert (s1["n_patients_alive"], s1["median_days_since_last_contact"]) == (4, 44.0)
    assert s1["pct_over_180_days_since_last_contact"] == 0.0
    # S002: 0001 died (not counted); 0002 LOST on 2017-09-01, last known alive 2017-06-01 (303
    # days); 0003 known alive only on day 1, 2017-04-10 (355 days): median 329, both over 180
    assert (s2["n_patients_alive"], s2["median_days_since_last_contact"]) == (2, 329.0)
    assert s2["pct_over_180_days_since_last_contact"] == 100.0


def test_site_quality_counts_add_up(warehouse: Path) -> None:
    # rows read over all sites (and the unattributed) are the rows of each file, as reconciliation
    # counts them from the files; rejected rows and findings add up to the audit tables
    unequal = rows(
        warehouse,
        """
        select r.file, r.rows_in_file, r.rows_rejected, q.read, q.rejected
        from audit.reconciliation as r
        left join (
            select file,
                sum(n) filter (where measure = 'rows_read') as read,
                coalesce(sum(n) filter (where measure = 'rows_rejected'), 0) as rejected
            from audit.site_quality_counts group by file
        ) as q using (file)
        where r.rows_in_file <> q.read or r.rows_rejected <> q.rejected
        """,
    )
    assert unequal == []
    assert rows(warehouse, "select count(*) from audit.findings") == rows(
        warehouse, "select sum(n) from audit.site_quality_counts where measure = 'findings'"
    )
