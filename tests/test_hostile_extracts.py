"""Hostile and careless extracts (issue 16): each case states what must happen.

Families share one build where they can, to keep the file to a few minutes:

- *extract check* cases run `il2reg extract check` only (the same code stops `dbt build` at
  on-run-start; one dbt run shows that nothing is published);
- *refresh* cases run a lean copy of the project (hooks, macros, sources and one probe model:
  seconds per build) for what happens around the build: a file replaced after the check,
  the build folder's modes, the lock;
- *rows* cases are one full `dbt build` of a hand-made extract (the fixture extract_small
  plus hostile rows) in a folder whose path holds a quote, spaces, braces, `*` and non-ASCII
  characters, published to a warehouse path of the same kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, VENV_BIN
from il2_registry.publish import (
    BUILD_FOLDER,
    PublishError,
    acquire_build_lock,
    lock_path_for,
)

pytestmark = pytest.mark.slow

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "extract_small"
# A folder name no SQL or Jinja string may break: a quote, spaces, braces (dbt-duckdb formats
# source locations with str.format), a glob star, a glob class and non-ASCII letters.
HOSTILE_NAME = "o'brien {site} a*b [x] é ü"
LEAN_PARTS = ("dbt_project.yml", "profiles.yml", "macros", "seeds")
PROBE_MODEL = """\
-- Grain: one row: which extract was built (reads patients.csv through the contract's source).
select count(*) as patients_rows from {{ source('registry', 'patients') }}
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(extract: Path) -> None:
    """Rewrite the manifest's rows and SHA-256 after a hand edit (as `extract manifest --force`)."""
    from il2_registry.manifest import files_entry

    manifest = json.loads((extract / "manifest.json").read_text())
    for name in manifest["files"]:
        if (extract / name).is_file():
            manifest["files"][name] = files_entry(extract / name)
    (extract / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def dbt_build(project: Path, extract: Path, warehouse: Path, work: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "IL2_WAREHOUSE": str(warehouse),
        "IL2_PROJECT_ROOT": str(project),
        "DBT_PROFILES_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [
            str(VENV_BIN / "dbt"),
            "build",
            "--vars",
            json.dumps({"extract_dir": str(extract)}),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=project,
        env=env,
        text=True,
        capture_output=True,
    )


def lean_project(target: Path, extra_on_run_start: str | None = None) -> Path:
    """The project's hooks, macros, seeds and source definitions with one probe model."""
    target.mkdir(parents=True)
    for part in LEAN_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    (target / "models" / "staging").mkdir(parents=True)
    shutil.copy2(
        PROJECT_ROOT / "models" / "staging" / "_registry__sources.yml",
        target / "models" / "staging" / "_registry__sources.yml",
    )
    (target / "models" / "probe.sql").write_text(PROBE_MODEL)
    if extra_on_run_start:
        config = (target / "dbt_project.yml").read_text()
        hook = '  - "{{ verify_extract() }}"\n'
        assert config.count(hook) == 1
        config = config.replace(hook, hook + f"  - {json.dumps(extra_on_run_start)}\n")
        (target / "dbt_project.yml").write_text(config)
    return target


# --- refresh: the bytes verified are the bytes built ------------------------------------------


def test_a_file_replaced_after_the_check_is_not_published(tmp_path: Path) -> None:
    """Defect 1. tumor_assessments.csv is replaced right after the on-run-start check passed (a
    second on-run-start hook writes every response as CR): the build runs, but the publish step
    hashes every file again, finds tumor_assessments.csv changed, names it and publishes
    nothing: the published warehouse stays byte-identical."""
    extract = shutil.copytree(FIXTURE, tmp_path / "extract")
    forged = tmp_path / "forged.csv"
    con = duckdb.connect()
    con.execute(
        f"copy (select * replace ('CR' as overall_response) from read_csv('{extract}/tumor_assessments.csv', "
        f"all_varchar = true)) to '{forged}' (header, delimiter ',')"
    )
    con.close()
    assert sha256(forged) != sha256(extract / "tumor_assessments.csv")
    target = extract / "tumor_assessments.csv"
    tamper = f"copy (from read_csv('{forged}', all_varchar = true)) to '{target}' (header)"
    project = lean_project(tmp_path / "proj", extra_on_run_start=tamper)
    warehouse = tmp_path / "wh" / "il2_registry.duckdb"

    first = dbt_build(lean_project(tmp_path / "clean"), FIXTURE, warehouse, tmp_path / "w0")
    assert first.returncode == 0, first.stdout[-3000:]
    before = sha256(warehouse)

    result = dbt_build(project, extract, warehouse, tmp_path / "w1")
    assert result.returncode != 0
    assert sha256(extract / "tumor_assessments.csv") == sha256(forged)  # the tamper did happen
    assert "changed during the build" in result.stdout
    assert "tumor_assessments.csv: SHA-256 is now" in result.stdout
    assert "patients.csv" not in result.stdout.split("changed during the build", 1)[1].split("\n\n")[0]
    assert sha256(warehouse) == before


def test_changed_files_without_the_hook_compares_with_the_manifest(tmp_path: Path) -> None:
    """A publish outside a run that verified the extract compares with manifest.json; a
    missing file is named too."""
    from il2_registry.extract_check import changed_files

    extract = shutil.copytree(FIXTURE, tmp_path / "extract")
    assert changed_files(extract) == []
    with (extract / "follow_up.csv").open("ab") as handle:
        handle.write(b"S001-0001,2018-01-01,ALIVE,,\r\n")
    (extract / "sites.csv").unlink()
    changes = changed_files(extract)
    assert len(changes) == 2
    assert changes[0].startswith("follow_up.csv: SHA-256 is now") and "in manifest.json" in changes[0]
    assert changes[1].startswith("sites.csv: the file is gone")


# --- refresh: the build folder is the owner's, the lock is the warehouse's ---------------------


def test_build_folder_and_file_modes_are_forced_at_every_build(tmp_path: Path) -> None:
    """Defect 7. A `.build` folder left 0755 and a build file left 0644 (an older run, a copy, an
    umask) are forced to 0700 and 0600 by the next build; the published file keeps the mode an
    administrator gave it (0640 here)."""
    project = lean_project(tmp_path / "proj")
    warehouse = tmp_path / "wh" / "il2_registry.duckdb"
    first = dbt_build(project, FIXTURE, warehouse, tmp_path / "w0")
    assert first.returncode == 0, first.stdout[-3000:]
    build_folder = warehouse.parent / BUILD_FOLDER
    build_folder.chmod(0o755)
    (build_folder / warehouse.name).chmod(0o644)
    warehouse.chmod(0o640)

    result = dbt_build(project, FIXTURE, warehouse, tmp_path / "w1")
    assert result.returncode == 0, result.stdout[-3000:]
    assert stat.S_IMODE(build_folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((build_folder / warehouse.name).stat().st_mode) == 0o600
    assert stat.S_IMODE(warehouse.stat().st_mode) == 0o640


def test_the_refresh_lock_is_per_warehouse_file(tmp_path: Path) -> None:
    """Two warehouses in one folder refresh at once (two locks); a second refresh of the same
    warehouse stops at once, naming the lock."""
    a = tmp_path / BUILD_FOLDER / "a.duckdb"
    b = tmp_path / BUILD_FOLDER / "b.duckdb"
    held_a = acquire_build_lock(a)
    held_b = acquire_build_lock(b)
    try:
        assert lock_path_for(a) != lock_path_for(b)
        with pytest.raises(PublishError, match="another dbt run is already building .*a.duckdb"):
            acquire_build_lock(a)
    finally:
        held_a.close()
        held_b.close()


# --- extract check: what stops a build ---------------------------------------------------------


def check_json(extract: Path) -> tuple[int, dict]:
    result = subprocess.run(
        [str(VENV_BIN / "il2reg"), "extract", "check", str(extract), "--json"],
        cwd=PROJECT_ROOT,
        text=True,
        capture_output=True,
    )
    return result.returncode, json.loads(result.stdout)


def stopping(report: dict) -> list[str]:
    return [f"{p['file']}|{p['problem']}" for p in report["problems"] if p["stops_build"]]


def test_a_required_file_with_only_its_header_stops_the_build(tmp_path: Path) -> None:
    """Defect 2. patients.csv (may_be_empty: false) with its header and no data row, manifest
    rewritten to match: an extract error naming the file, and `dbt build` publishes nothing
    (the published warehouse stays byte-identical). adverse_events.csv (may_be_empty: true)
    with only its header is fine."""
    extract = shutil.copytree(FIXTURE, tmp_path / "extract")
    for name in ("patients.csv", "adverse_events.csv"):
        header = (extract / name).read_bytes().splitlines(keepends=True)[0]
        (extract / name).write_bytes(header)
    write_manifest(extract)
    code, report = check_json(extract)
    assert code == 1
    assert stopping(report) == [
        "patients.csv|no data row (only a header); the contract says this file may not be empty"
    ]

    project = lean_project(tmp_path / "proj")
    warehouse = tmp_path / "wh" / "il2_registry.duckdb"
    assert dbt_build(project, FIXTURE, warehouse, tmp_path / "w0").returncode == 0
    before = sha256(warehouse)
    result = dbt_build(project, extract, warehouse, tmp_path / "w1")
    assert result.returncode != 0
    assert "patients.csv: no data row (only a header)" in result.stdout
    assert sha256(warehouse) == before


# --- rows: one full build of a hostile extract in a hostile folder ----------------------------


def append_rows(path: Path, *rows: str, newline: str | None = None) -> None:
    """Append data rows with the file's own line ending (unless `newline` says otherwise)."""
    data = path.read_bytes()
    ending = newline or ("\r\n" if data.endswith(b"\r\n") else "\n")
    path.write_bytes(data + "".join(row + ending for row in rows).encode("utf-8"))


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1, (path.name, old)
    path.write_bytes(text.replace(old, new).encode("utf-8"))


def hostile_rows_extract(target: Path) -> Path:
    """extract_small with the hostile rows of the *rows* family (row numbers: data rows from 1)."""
    extract = shutil.copytree(FIXTURE, target)
    # Defect 3: a re-edit of S002-0001 (row 4) written in lower case, edited later: the same
    # patient (row 13 wins), not a new one.
    append_rows(
        extract / "patients.csv",
        "s002-0001 ,S002,MRN2000001,GHI,1970-01-01,M,BLACK,2017-02-01,MELANOMA,,2016-11,2017-02-13,"
        "2017-03-01 08:00:00",
    )
    # Defect 3: a child row in lower case with padding is the patient's row, not an orphan.
    replace_once(extract / "follow_up.csv", "S002-0002,2017-09-01,LOST", " s002-0002 ,2017-09-01,LOST")
    # Defect 3: an id that is not S###-####: rejected as invalid_patient_id (adverse_events row 8).
    append_rows(extract / "adverse_events.csv", "S2-1,1,Nausea,2017-01-19,,1,N,RELATED,N,N")
    # Weak: a TAB-only required value is missing (subsequent_therapies row 4).
    append_rows(extract / "subsequent_therapies.csv", "S001-0001,\t,2017-11")
    # Defect 6: a dose dated 1800 (il2_doses row 16) must not become S001-0002's day 1; a birth
    # date in 1850 (S001-0003, patients row 7) gives a null age, not 90; a contact in 2099
    # (follow_up row 9) is after the export.
    # Weak: the dose log is LF; this row ends CRLF (mixed line endings in one file must build).
    append_rows(extract / "il2_doses.csv", "S001-0002,1,1,3,1800-01-01 08:00,720000", newline="\r\n")
    replace_once(extract / "patients.csv", "MRN1000003,PQR,1965-07-07", "MRN1000003,PQR,1850-07-07")
    append_rows(extract / "follow_up.csv", "S001-0001,2099-01-01,ALIVE,,")
    # Defect 4: PHI typed into free text. An MRN, a birth date and initials after a marker in
    # an AE term (adverse_events row 9); an MRN in a site name (sites row 1); S001-0002's birth
    # date, US style, in a stopping toxicity (il2_cycles row 4); S002-0003's own initials MNO in
    # its regimen text (prior_therapies row 9).
    append_rows(
        extract / "adverse_events.csv",
        'S001-0001,3,"pt ABC MRN1000001 DOB 1960-04-12",2017-01-26,,1,N,RELATED,N,N',
    )
    replace_once(
        extract / "sites.csv",
        "University Hospital, Main Campus",
        "University Hospital, Main Campus mrn2000002",
    )
    replace_once(
        extract / "il2_cycles.csv",
        "SOB/hypoxia,Weird tox thing,",
        "SOB/hypoxia,Weird tox thing,seen 05/30/1955",
    )
    replace_once(extract / "prior_therapies.csv", "S002-0003,1,Interferon,", "S002-0003,1,Interferon MNO,")
    # Weak: ragged records (adverse_events records 10 and 11): rejected as malformed_row.
    append_rows(
        extract / "adverse_events.csv",
        "S001-0002,2,Nausea, vomiting,2017-01-19,,1,N,RELATED,N,N",
        "S001-0002,3,Rash,2017-01-19",
    )
    write_manifest(extract)
    return extract


@pytest.fixture(scope="module")
def hostile_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """(extract, published warehouse, dbt result): the full project built from a folder whose
    path holds a quote, spaces, braces, `*`, `[x]` and non-ASCII letters (defect 5)."""
    base = tmp_path_factory.mktemp("hostile") / HOSTILE_NAME
    extract = hostile_rows_extract(base / "extract")
    warehouse = base / "wh é {x}" / "il2_registry.duckdb"
    result = dbt_build(PROJECT_ROOT, extract, warehouse, base.parent / "work")
    return extract, warehouse, result


def published_rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_paths_with_quotes_braces_globs_and_non_ascii_build_and_publish(hostile_build) -> None:
    """Defect 5. extract_dir and IL2_WAREHOUSE with `'`, spaces, `{site}`, `*`, `[x]`, é: every
    model reads the files (no parser error, no KeyError, no glob), the warehouse is published
    there, and dim_extract names the folder as written."""
    extract, warehouse, result = hostile_build
    assert result.returncode == 0, result.stdout[-5000:]
    assert f"published {warehouse}" in result.stdout
    assert published_rows(warehouse, "select extract_dir from core.dim_extract") == [(str(extract),)]


def test_reconciliation_holds_for_the_hostile_extract(hostile_build) -> None:
    """Nothing lost: every file's rows in file = used + superseded + rejected, and the row count
    of each file is its own (a `*` in the folder would have counted other folders' files)."""
    extract, warehouse, _ = hostile_build
    rows = published_rows(
        warehouse,
        "select file, rows_in_file, rows_used + rows_superseded + rows_rejected from audit.reconciliation",
    )
    manifest = json.loads((extract / "manifest.json").read_text())
    assert len(rows) == 10
    for file, in_file, accounted in rows:
        assert in_file == accounted == manifest["files"][file]["rows"], file


def test_patient_ids_are_canonical_in_every_file(hostile_build) -> None:
    """Defect 3. `s002-0001 ` in patients.csv is a re-edit of S002-0001 (it wins: edited later),
    not an 8th patient; ` s002-0002 ` in follow_up.csv is S002-0002's contact; `S2-1` is
    rejected with its own reason. The fixture's 7 usable patients: S001-0001..0004,
    S002-0001..0003 (S003-0001 has no site, S002-0004 has disease LUNG)."""
    _, warehouse, _ = hostile_build
    patients = published_rows(
        warehouse, "select patient_id, source_row_number from core.dim_patient order by 1"
    )
    assert [p for p, _ in patients] == [
        "S001-0001",
        "S001-0002",
        "S001-0003",
        "S001-0004",
        "S002-0001",
        "S002-0002",
        "S002-0003",
    ]
    assert dict(patients)["S002-0001"] == 13
    assert published_rows(
        warehouse,
        "select contact_date::varchar, vital_status from core.fct_follow_up_contacts "
        "where patient_id = 'S002-0002'",
    ) == [("2017-09-01", "LOST")]
    assert published_rows(
        warehouse,
        "select file, row_number, column_name, value, reason from audit.rejected_rows "
        "where reason = 'invalid_patient_id' or file = 'subsequent_therapies.csv' order by 1, 2",
    ) == [
        ("adverse_events.csv", 8, "patient_id", "S2-1", "invalid_patient_id"),
        ("subsequent_therapies.csv", 4, "regimen_text", "\t", "missing_required"),
    ]


def test_implausible_dates_are_reported_and_set_aside(hostile_build) -> None:
    """Defect 6. S001-0002's doses: 2017-01-17 09:00 and 17:00 and one dated 1800-01-01: day 1
    stays 2017-01-17 (the 1800 dose is set aside), not 1800. S001-0003 born 1850-07-07: age
    at day 1 null (before 1900), not 90 (the cap); its birth date is never written in the
    finding. The ALIVE contact of 2099-01-01 is after the export (created_at 2018-06-08): set
    aside by OS, so S001-0001 (day 1 2017-01-09, last usable ALIVE contact 2018-01-15, alive
    at no date after the cut-off) stays censored at 2018-01-15, not at the cut-off 2018-03-31."""
    _, warehouse, _ = hostile_build
    patients = dict(
        (p, (str(d), a))
        for p, d, a in published_rows(
            warehouse, "select patient_id, day1_date, age_at_day1 from core.dim_patient"
        )
    )
    assert patients["S001-0002"] == ("2017-01-17", 61)  # born 05/30/1955: 61 on 2017-01-17
    assert patients["S001-0003"] == ("2017-05-15", None)
    found = published_rows(
        warehouse,
        "select file, row_number, column_name, value, detail from audit.findings "
        "where check_name = 'implausible_date' order by 1, 2",
    )
    assert found == [
        (
            "follow_up.csv",
            9,
            "contact_date",
            "2099-01-01",
            "contact_date 2099-01-01 is after the export (manifest created_at 2018-06-08 12:00:00): "
            "the contact is set aside by overall survival, kept in core",
        ),
        (
            "il2_doses.csv",
            16,
            "admin_datetime",
            "1800-01-01",
            "admin_datetime 1800-01-01 is before 1992 (HD IL-2's first approval): "
            "set aside for day 1, kept in core",
        ),
        (
            "patients.csv",
            7,
            "birth_date",
            "<redacted>",
            "birth_date is before 1900: age at day 1 set to null",
        ),
    ]
    assert not any("1850" in str(row) for row in found)
    # the CRLF row of the LF file was read whole: its last field is a clean number
    assert published_rows(
        warehouse, "select dose_iu_per_kg from core.fct_il2_doses where source_row_number = 16"
    ) == [(720000,)]
    # 2017-01-09 to 2018-01-15: 365 + 6 = 371 days (with the 2099 contact: 446 days to the cut-off)
    assert published_rows(
        warehouse,
        "select time_days, event, reason from marts.survival "
        "where patient_id = 'S001-0001' and endpoint = 'OS'",
    ) == [(371, 0, "last_contact")]


PLANTED_PHI = ("MRN1000001", "MRN2000002", "1960-04-12", "05/30/1955", "Interferon MNO", "pt ABC")


def test_phi_in_free_text_is_redacted_and_reported(hostile_build) -> None:
    """Defect 4. Each planted PHI value is published as `<redacted>` in its free-text column
    (dim_site.site_name, fct_adverse_events.ae_term_verbatim, fct_stop_toxicities,
    fct_therapy_lines.regimen_text) and reported as phi_in_free_text (file, row, column, the
    kind of PHI; no value). No text column of the published file holds any planted value."""
    _, warehouse, _ = hostile_build
    found = published_rows(
        warehouse,
        "select file, row_number, column_name, value, detail from audit.findings "
        "where check_name = 'phi_in_free_text' order by 1, 2",
    )
    assert [(f, r, c, v) for f, r, c, v, _ in found] == [
        ("adverse_events.csv", 9, "ae_term", None),
        ("il2_cycles.csv", 4, "stop_toxicity_3", None),
        ("prior_therapies.csv", 9, "regimen_text", None),
        ("sites.csv", 1, "site_name", None),
    ]
    # the kind: the AE term holds all three (the first in name order is named)
    assert [d.split("(")[1].split(" ")[0] for *_, d in found] == [
        "birth_date",
        "birth_date",
        "initials",
        "mrn",
    ]
    assert published_rows(warehouse, "select site_name from core.dim_site where site_id = 'S001'") == [
        ("<redacted>",)
    ]
    assert published_rows(
        warehouse, "select ae_term_verbatim from core.fct_adverse_events where source_row_number = 9"
    ) == [("<redacted>",)]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() where data_type = 'VARCHAR' "
            "and table_name in (select table_name from duckdb_tables())"
        ).fetchall()
        leaks = [
            f"{schema}.{table}.{column}: {planted}"
            for schema, table, column in columns
            for planted in PLANTED_PHI
            if con.execute(
                f'select count(*) from "{schema}"."{table}" where upper("{column}") like ?',
                [f"%{planted.upper()}%"],
            ).fetchone()[0]
        ]
    finally:
        con.close()
    assert leaks == []


def test_the_publish_scan_refuses_a_file_holding_phi_values(tmp_path: Path) -> None:
    """Defect 4, second line of defence: the publish step scans every text column of the
    candidate file for the build's PHI values (an MRN as a token, a birth date ISO or US,
    initials after a marker word) and names each column and kind, never the value; a value
    that merely looks like one (another MRN, a date no patient was born on) passes."""
    from il2_registry.publish import phi_value_problems

    candidate = tmp_path / "candidate.duckdb"
    con = duckdb.connect(str(candidate))
    con.execute("create schema core")
    con.execute(
        "create table core.t as select * from (values "
        "('fine text', 'born 1960-04-13', 'MRN1000009'), "
        "('note MRN1000001 here', 'seen 4/12/1960', 'initials: ABC')) as v(a, b, c)"
    )
    con.close()
    phi = {
        "mrn": ["MRN1000001"],
        "initials": ["ABC"],
        "birth_date": [date(1960, 4, 12)],
    }
    assert phi_value_problems(candidate, "candidate", phi) == [
        "core.t.a holds an MRN of the extract in 1 value(s) (PHI)",
        "core.t.b holds a birth date of the extract in 1 value(s) (PHI)",
        "core.t.c holds initials after a PHI marker of the extract in 1 value(s) (PHI)",
    ]
    phi_clean = {
        "mrn": ["MRN7777777"],
        "initials": ["XYZ"],
        "birth_date": [date(1950, 1, 1)],
    }
    assert phi_value_problems(candidate, "candidate", phi_clean) == []


def test_careless_exports_get_a_clear_extract_error(tmp_path: Path) -> None:
    """Weak cases, each an extract error naming the file, line or value (all in one extract,
    `il2reg extract check`; the build's on-run-start hook runs the same code):
    - a Latin-1 letter far down a file (past the first 64 KiB): not UTF-8, with its line;
    - a manifest listing a file that is not in the folder;
    - data_cutoff_date written 31/03/2018: the value quoted, YYYY-MM-DD asked for;
    - a header naming ae_term twice: the column and both positions."""
    extract = shutil.copytree(FIXTURE, tmp_path / "extract")
    filler = [f"S009-{i:04d},2018-01-01,ALIVE,," for i in range(3000)]  # > 64 KiB of ASCII
    append_rows(extract / "follow_up.csv", *filler)
    with (extract / "follow_up.csv").open("ab") as handle:
        handle.write("S001-0001,2018-01-02,ALIVE,,Montréal\n".encode("latin-1"))
    write_manifest(extract)
    lines = (extract / "adverse_events.csv").read_bytes().split(b"\r\n")
    lines[0] = lines[0].replace(b"ae_seq,ae_term,", b"ae_seq,ae_term,ae_term,")
    lines[1:-1] = [line.replace(b",Hypotension,", b",Hypotension,x,") for line in lines[1:-1]]
    (extract / "adverse_events.csv").write_bytes(b"\r\n".join(lines))
    manifest = json.loads((extract / "manifest.json").read_text())
    manifest["files"]["adverse_events.csv"]["sha256"] = sha256(extract / "adverse_events.csv")
    manifest["files"]["extra_form.csv"] = {"rows": 1, "sha256": "0" * 64}
    manifest["data_cutoff_date"] = "31/03/2018"
    (extract / "manifest.json").write_text(json.dumps(manifest))
    code, report = check_json(extract)
    assert code == 1
    # follow_up.csv: header line 1, 8 fixture rows, 3000 filler rows, then the Latin-1 row
    assert stopping(report) == [
        "manifest.json|data_cutoff_date is not a date YYYY-MM-DD",
        "manifest.json|lists extra_form.csv, which is not in the extract folder",
        "adverse_events.csv|header names column ae_term twice (columns 3 and 4); export each column once",
        "follow_up.csv|not UTF-8 at line 3010 (the header is line 1): it looks like latin-1; "
        "export it as UTF-8",
    ]
    cutoff = next(p for p in report["problems"] if p["column"] == "data_cutoff_date")
    assert cutoff["value"] == "31/03/2018"


def test_a_ragged_record_is_named_by_its_number(tmp_path: Path) -> None:
    """Weak case. A record with one field too many (an unquoted comma in the AE term,
    adverse_events record 8) does not stop the build: the extract check names the record and
    both field counts and says the build rejects it as malformed_row (the rows family shows
    the rejection)."""
    extract = shutil.copytree(FIXTURE, tmp_path / "extract")
    append_rows(extract / "adverse_events.csv", "S001-0002,2,Nausea, vomiting,2017-01-19,,1,N,RELATED,N,N")
    write_manifest(extract)
    code, report = check_json(extract)
    assert code == 0
    ragged = [p for p in report["problems"] if p["file"] == "adverse_events.csv" and "fields" in p["problem"]]
    assert [(p["row"], p["problem"], p["stops_build"]) for p in ragged] == [
        (
            8,
            "record 8 has 11 fields, the header 10: a broken row (an unquoted comma, a missing field "
            "or a cut line), rejected as malformed_row; fix or quote it and re-export",
            False,
        )
    ]


def test_malformed_records_are_rejected_with_their_number(hostile_build) -> None:
    """Weak case. adverse_events record 10 has 11 fields (an unquoted comma), record 11 only 4:
    each is rejected as malformed_row with its record number (no value of it used); the other
    rows of the file are used and reconciliation holds (test above)."""
    _, warehouse, _ = hostile_build
    assert published_rows(
        warehouse,
        "select file, row_number, reason, detail from audit.rejected_rows "
        "where reason = 'malformed_row' order by 2",
    ) == [
        (
            "adverse_events.csv",
            10,
            "malformed_row",
            "record has more fields than the header (a broken row: no value of it is used)",
        ),
        (
            "adverse_events.csv",
            11,
            "malformed_row",
            "record has fewer fields than the header (a broken row: no value of it is used)",
        ),
    ]
