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
