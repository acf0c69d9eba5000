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
