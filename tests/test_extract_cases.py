"""The five cases of a first real extract (issue 12), each on a hand-made copy of the fixture
extract, with the message or finding a user needs:

1. an export edited by hand: the manifest no longer matches, `il2reg extract manifest` writes
   a new one (refusing to replace one without --force), and the check passes again;
2. a code outside the list and an upper-case header: the valid codes, the found columns and
   the rename are named;
3. a semicolon-delimited file: the delimiter is named, and dbt stops with just the list of
   problems (no traceback, no SKIP line per node);
4. a site writing DD/MM/YYYY: the check names the site, and audit.findings has
   site_date_style_suspect;
5. a DEAD follow-up row without death_date: audit.findings links the rejected row to the
   endpoints it changes (endpoint_affected_by_rejected_row).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import il2reg, run_dbt
from il2_registry.contract import load_contract

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1, (path.name, old)
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def check_json(extract: Path) -> tuple[int, dict]:
    result = il2reg("extract", "check", str(extract), "--json", check=False)
    return result.returncode, json.loads(result.stdout)


def messages(report: dict) -> list[str]:
    return [
        f"{p['file']}|{p['row']}|{p['column']}|{p['value']}|{p['problem']}|{p['valid']}"
        for p in report["problems"]
    ]


# --- 1. an edited export and its manifest -----------------------------------------------------


def test_edited_export_gets_a_new_manifest_from_the_cli(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    with (extract / "adverse_events.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("S001-0002,2,Nausea,2017-01-19,,1,N,RELATED,N,N\r\n")  # the file is CRLF
    code, report = check_json(extract)
    assert code == 1 and report["ok"] is False
    (rows_problem,) = [p for p in report["problems"] if "data rows" in p["problem"]]
    # The fixture's 7 AE rows plus the one appended.
    assert rows_problem["file"] == "adverse_events.csv"
    assert rows_problem["problem"].startswith("8 data rows in the file, manifest.json says 7")
    assert "il2reg extract manifest --force" in rows_problem["problem"]

    refused = il2reg(
        "extract", "manifest", str(extract), "--extract-id", "x", "--cutoff", "2018-03-31", check=False
    )
    assert refused.returncode == 1 and "exists; pass --force" in refused.stderr

    bad_cutoff = il2reg(
        "extract",
        "manifest",
        str(extract),
        "--extract-id",
        "x",
        "--cutoff",
        "31/03/2018",
        "--force",
        check=False,
    )
    assert bad_cutoff.returncode == 1 and "is not a date YYYY-MM-DD" in bad_cutoff.stderr

    il2reg(
        "extract",
        "manifest",
        str(extract),
        "--extract-id",
        "site-export-1",
        "--cutoff",
        "2018-03-31",
        "--force",
    )
    manifest = json.loads((extract / "manifest.json").read_text())
    assert manifest["extract_id"] == "site-export-1"
    assert manifest["data_cutoff_date"] == "2018-03-31"
    assert manifest["contract_version"] == load_contract().version
    # sites.csv: 2 records on 4 physical lines (quoted newline): rows count records.
    assert manifest["files"]["sites.csv"]["rows"] == 2
    assert manifest["files"]["adverse_events.csv"]["rows"] == 8
    code, report = check_json(extract)
    assert code == 0 and report["ok"] is True


def test_manifest_is_written_for_an_export_without_one(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    (extract / "manifest.json").unlink()
    code, report = check_json(extract)
    assert code == 1
    assert any(
        "il2reg extract manifest" in p["problem"] for p in report["problems"] if p["file"] == "manifest.json"
    )
    il2reg("extract", "manifest", str(extract), "--extract-id", "first", "--cutoff", "2018-03-31")
    assert check_json(extract)[0] == 0


# --- 2. codes and headers ---------------------------------------------------------------------


def test_invalid_code_names_the_valid_codes(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    replace_in(
        extract / "baseline.csv",
        "S002-0001,NA,2017-02-06,N/A,UNK,.,,not_tested",
        "S002-0001,NA,2017-02-06,N/A,UNK,.,,WILDTYPE",
    )
    il2reg("extract", "manifest", str(extract), "--extract-id", "x", "--cutoff", "2018-03-31", "--force")
    code, report = check_json(extract)
    assert code == 0  # a bad optional code does not stop a build: it is nulled
    # S002-0001 is data row 3 of baseline.csv (header excluded).
    assert (
        "baseline.csv|3|braf_status|WILDTYPE|not a code (1 row(s), kept, value set to null)"
        "|one of MUTANT, WILD_TYPE, NOT_TESTED"
    ) in messages(report)


def test_upper_case_header_names_the_found_columns_and_the_rename(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    path = extract / "subsequent_therapies.csv"
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(lines[0].upper() + "\n" + lines[1], encoding="utf-8")
    code, report = check_json(extract)
    assert code == 1
    (problem,) = [p for p in report["problems"] if p["problem"].startswith("missing required column")]
    assert problem["problem"] == (
        "missing required column(s) patient_id, regimen_text, start_date; "
        "the header has PATIENT_ID, REGIMEN_TEXT, START_DATE; "
        "rename 'PATIENT_ID' for patient_id (different case), "
        "'REGIMEN_TEXT' for regimen_text (different case), "
        "'START_DATE' for start_date (different case)"
    )
    assert problem["valid"] == "a header with patient_id, regimen_text, start_date"


def test_known_header_alias_is_suggested(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    replace_in(extract / "follow_up.csv", "patient_id,contact_date", "subject_id,contact_date")
    _, report = check_json(extract)
    (problem,) = [p for p in report["problems"] if p["file"] == "follow_up.csv" and "header" in p["problem"]]
    assert "rename 'subject_id' for patient_id (a known alias)" in problem["problem"]


# --- 3. a semicolon-delimited file, in the check and in dbt -----------------------------------


def semicolon_sites(extract: Path) -> None:
    (extract / "sites.csv").write_text(
        "site_id;site_name;site_type;state\n"
        "S001;University Hospital;ACADEMIC;PA\n"
        "S002;Community;COMMUNITY;OH\n",
        encoding="utf-8",
    )


def test_semicolon_file_names_the_delimiter(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    semicolon_sites(extract)
    code, report = check_json(extract)
    assert code == 1
    (problem,) = [p for p in report["problems"] if p["file"] == "sites.csv"]
    assert problem["problem"].startswith("not comma-delimited: the header looks semicolon-delimited")
    assert problem["valid"] == "comma-separated values"


@pytest.mark.slow
def test_dbt_stops_with_the_list_of_problems_and_nothing_else(tmp_path: Path) -> None:
    extract = copy_fixture(tmp_path / "extract")
    semicolon_sites(extract)
    replace_in(extract / "follow_up.csv", "patient_id,contact_date", "PATIENT_ID,contact_date")
    warehouse = tmp_path / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "Python exception" not in output
    assert "SKIP" not in output and "OK created" not in output
    tail = output[output.index("EXTRACT ERROR") :]
    assert "sites.csv: not comma-delimited: the header looks semicolon-delimited" in tail
    assert "follow_up.csv: missing required column(s) patient_id" in tail
    assert "'PATIENT_ID' for patient_id (different case)" in tail
    # The problems are the end of dbt's output: what follows is dbt's two-line pointer to the hook.
    assert len(tail.splitlines()) <= 8, tail
    assert not warehouse.exists()


# --- 4 and 5, through dbt: findings -----------------------------------------------------------


@pytest.fixture(scope="module")
def edited_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("edited_fixture")
    extract = copy_fixture(work / "extract")
    # Site S002 (all ISO in the fixture) now writes two dates day-first: AE onset 15/04/2017
    # (first part above 12: not a US date, so the optional onset_date is nulled) and a tumour
    # assessment on 10/04/2017 (ambiguous: read as October 4th).
    replace_in(
        extract / "adverse_events.csv",
        "S002-0002,1,Pneumonitis,2017-04-15",
        "S002-0002,1,Pneumonitis,15/04/2017",
    )
    replace_in(extract / "tumor_assessments.csv", "S002-0001,2017-04-10", "S002-0001,10/04/2017")
    replace_in(
        extract / "baseline.csv",
        "S002-0001,NA,2017-02-06,N/A,UNK,.,,not_tested",
        "S002-0001,NA,2017-02-06,N/A,UNK,.,,WILDTYPE",
    )
    il2reg("extract", "manifest", str(extract), "--extract-id", "edited", "--cutoff", "2018-03-31", "--force")
    _, report = check_json(extract)
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse, report


def findings(warehouse: Path, check_name: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select file, row_number, patient_id, column_name, value, detail from audit.findings "
            "where check_name = ? order by file, row_number, column_name",
            [check_name],
        ).fetchall()


@pytest.mark.slow
def test_day_first_site_is_named_by_the_check(edited_warehouse: tuple[Path, dict]) -> None:
    _, report = edited_warehouse
    # S002's slash dates: 15/04/2017 (day-first) and 10/04/2017 (ambiguous); none month-first.
    assert report["sites"]["S002"] | {} == {
        **report["sites"]["S002"],
        "day_first": 1,
        "month_first": 0,
        "ambiguous": 1,
        "style": "looks day-first",
    }
    assert report["sites"]["S001"]["style"] == "ISO and US"  # month-first dates: a US site
    (problem,) = [p for p in report["problems"] if "day-first" in p["problem"]]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (
        "adverse_events.csv",
        4,
        "onset_date",
        "15/04/2017",
    )
    assert "site S002 looks day-first" in problem["problem"]
    assert "1 ambiguous slash date(s) will be read as MM/DD/YYYY" in problem["problem"]


@pytest.mark.slow
def test_day_first_site_is_a_finding(edited_warehouse: tuple[Path, dict]) -> None:
    warehouse, _ = edited_warehouse
    ((file, row, patient, column, value, detail),) = findings(warehouse, "site_date_style_suspect")
    assert (file, row, patient, column, value) == (
        "adverse_events.csv",
        4,
        "S002-0002",
        "onset_date",
        "15/04/2017",
    )
    assert detail.startswith(
        "site S002 looks day-first (DD/MM/YYYY): 1 slash date(s) have a first part above 12"
    )
    assert "its 1 ambiguous slash date(s) (both parts 12 or less) were read as MM/DD/YYYY" in detail


@pytest.mark.slow
def test_value_nulled_names_what_is_valid_from_the_contract(edited_warehouse: tuple[Path, dict]) -> None:
    warehouse, _ = edited_warehouse
    nulled = {(f, r, c): d for f, r, _, c, _, d in findings(warehouse, "value_nulled")}
    braf = load_contract().file("baseline.csv").column("braf_status")
    # The dbt macro registry_valid_values and ColumnSpec.valid render the same spec alike.
    assert nulled[("baseline.csv", 3, "braf_status")] == (
        f"braf_status = 'WILDTYPE' (invalid_code) set to null; valid: {braf.valid()}"
    )
    assert braf.valid() == "one of MUTANT, WILD_TYPE, NOT_TESTED"
    assert nulled[("adverse_events.csv", 4, "onset_date")].endswith("valid: a date YYYY-MM-DD or MM/DD/YYYY")


@pytest.mark.slow
def test_rejected_death_is_linked_to_the_endpoints(edited_warehouse: tuple[Path, dict]) -> None:
    warehouse, _ = edited_warehouse
    got = {(f, r, p, c): d for f, r, p, c, _, d in findings(warehouse, "endpoint_affected_by_rejected_row")}
    # follow_up row 5: S002-0003 DEAD on 2017-10-01 without death_date (rejected, required when
    # DEAD); S002-0003 is analysed (doses, day 1 before the cut-off).
    assert got[("follow_up.csv", 5, "S002-0003", "death_date")] == (
        "row rejected (death_date missing_required) on a DEAD contact: the patient is analysed and "
        "OS, PFS, DoR are computed without this row"
    )
    # tumour assessments row 10 (S002-0003, response XX) and row 12 (S001-0004, no date).
    assert got[("tumor_assessments.csv", 10, "S002-0003", "overall_response")].endswith(
        "BOR, confirmed BOR, PFS, DoR are computed without this row"
    )
    assert ("tumor_assessments.csv", 12, "S001-0004", "assessment_date") in got
    # follow_up row 8 (unknown patient S009-9999) is an orphan, not an analysed patient.
    assert all(key[1:3] != (8, "S009-9999") for key in got)
    assert len(got) == 3
