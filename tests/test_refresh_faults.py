"""Fault suite for the refresh (docs/refresh.md): plain `dbt build` runs from scratch copies of
the project, against a published warehouse that readers keep open, with builds that are
killed at random moments, fail a dbt test, meet a broken extract or a full disk.

The invariant checked everywhere: the published file is either byte-identical to what it was
or a complete new publication (every analyst table of the build, with its row count, and the
probe naming the new extract), never half; and the next build succeeds.

Two extracts tell old and new warehouses apart: the hand fixture `extract_small` (A) and a
copy that differs only in its manifest's extract_id (B). Probe models added to the scratch
copies publish `marts.refresh_probe` (extract_id and number of patients rows) and keep a PHI
column in staging.

Two scratch copies keep the suite to a few minutes: the *full* project (every model, test and
hook, plus the probe) for a failing dbt test, its re-run and a partial build; and a *lean*
copy (the project's dbt_project.yml, profiles.yml, hooks, macros, seeds and source
definitions, with the probe models instead of the project's models) for the scenarios that
need many builds: readers, kills, broken extracts (the extract verification is an on-run-start
hook, kept) and a full disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_ROOT, VENV_BIN
from il2_registry.publish import BUILD_FOLDER, EXCLUDED_SCHEMAS, SCRATCH_PREFIX

pytestmark = pytest.mark.slow

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "extract_small"
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "analyses", "snapshots")
LEAN_PARTS = ("dbt_project.yml", "profiles.yml", "macros", "seeds")
PROBE_MODELS = {
    "stg_probe_patients.sql": """\
-- Grain: one row per patients.csv row. Test-only probe; keeps the PHI column mrn in staging.
select * from read_csv('{{ var("extract_dir") }}/patients.csv', all_varchar = true)
""",
    "int_probe_patients_counted.sql": """\
-- Grain: one row.
select count(*) as patients_rows from {{ ref('stg_probe_patients') }}
""",
    "refresh_probe.sql": """\
-- Grain: one row: which extract was built.
select
    manifest.extract_id,
    counted.patients_rows,
from read_json('{{ var("extract_dir") }}/manifest.json') as manifest
cross join {{ ref('int_probe_patients_counted') }} as counted
""",
    "refresh_probe_view.sql": """\
-- Grain: one row (a view over the probe).
select * from {{ ref('refresh_probe') }}
""",
    "_refresh_probe.yml": """\
version: 2
models:
  - name: stg_probe_patients
    config: {schema: staging}
  - name: int_probe_patients_counted
    config: {schema: intermediate}
  - name: refresh_probe
    config: {schema: marts}
    columns:
      - name: extract_id
        data_tests: [not_null]
  - name: refresh_probe_view
    config: {schema: marts, materialized: view}
""",
}
READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    warehouse, stop, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    probe = "select extract_id, patients_rows from marts.refresh_probe"
    held = duckdb.connect(warehouse, read_only=True)
    snapshot = held.execute(probe).fetchall()
    queries, errors, changed, seen = 0, [], 0, set()
    while not stop.exists():
        try:
            if held.execute(probe).fetchall() != snapshot:
                changed += 1
            queries += 1
            if queries % 5:
                time.sleep(0.2)
                continue
            # Every second a new look at the file from another process (the DuckDB CLI).
            import subprocess
            fresh = subprocess.run(
                [sys.argv[4], "-readonly", "-csv", "-noheader", warehouse, "-c", probe],
                capture_output=True, text=True,
            )
            if fresh.returncode != 0:
                errors.append(fresh.stderr.strip())
            else:
                seen.add(fresh.stdout.strip())
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.2)
    out.write_text(json.dumps({"snapshot": snapshot, "queries": queries, "errors": errors[:5],
                               "n_errors": len(errors), "changed": changed, "seen": sorted(seen)}))
    """
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def probe(warehouse: Path) -> tuple[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select extract_id, patients_rows from marts.refresh_probe").fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0]), int(row[1])


def shape(warehouse: Path, skip_schemas: tuple[str, ...] = ()) -> dict[str, int]:
    """Row count of every relation: a half-published file cannot match a complete one."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where not internal "
            "union all select schema_name, view_name from duckdb_views() where not internal order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{name}": int(con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])
            for schema, name in relations
            if schema not in skip_schemas
        }
    finally:
        con.close()


class Refresh:
    """A scratch copy of the project and a published warehouse path; runs plain `dbt build`."""

    def __init__(self, root: Path, warehouse: Path, work: Path) -> None:
        self.root, self.warehouse, self.work = root, warehouse, work
        self.build_file = warehouse.parent / BUILD_FOLDER / warehouse.name

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "IL2_WAREHOUSE": str(self.warehouse),
            "IL2_PROJECT_ROOT": str(self.root),
            "DBT_PROFILES_DIR": str(self.root),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def command(self, extract: Path, *args: str) -> list[str]:
        return [
            str(VENV_BIN / "dbt"),
            "build",
            *args,
            "--vars",
            json.dumps({"extract_dir": str(extract)}),
            "--target-path",
            str(self.work / "target"),
            "--log-path",
            str(self.work / "logs"),
        ]

    def build(self, extract: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(extract, *args), cwd=self.root, env=self.env(), text=True, capture_output=True
        )

    def start(self, extract: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(extract),
            cwd=self.root,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so the kill reaches the whole process group
        )

    def scratch_leftovers(self) -> list[str]:
        return [p.name for p in self.build_file.parent.glob(SCRATCH_PREFIX + "*")]

    def assert_published(self, extract: Path) -> None:
        """The published file is a complete publication of the build just made from `extract`."""
        assert probe(self.warehouse) == expected_probe(extract)
        published = shape(self.warehouse)
        assert published == shape(self.build_file, skip_schemas=EXCLUDED_SCHEMAS)
        assert "marts.refresh_probe" in published and not any(
            name.split(".")[0] in EXCLUDED_SCHEMAS for name in published
        )


def expected_probe(extract: Path) -> tuple[str, int]:
    manifest = json.loads((extract / "manifest.json").read_text())
    return manifest["extract_id"], manifest["files"]["patients.csv"]["rows"]


def copy_project(target: Path, parts: tuple[str, ...]) -> Path:
    target.mkdir(parents=True)
    for part in parts:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    if "models" not in parts:  # keep the source definitions: the extract verification reads them
        for yml in (PROJECT_ROOT / "models").rglob("*.yml"):
            if "\nsources:" in yml.read_text():
                destination = target / yml.relative_to(PROJECT_ROOT)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(yml, destination)
    probe_dir = target / "models" / "refresh_probe"
    probe_dir.mkdir(parents=True)
    for name, text in PROBE_MODELS.items():
        (probe_dir / name).write_text(text)
    return target


@pytest.fixture(scope="module")
def full_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("refresh_full") / "proj", PROJECT_PARTS)
    shutil.copytree(PROJECT_ROOT / "tests" / "dbt", project / "tests" / "dbt", dirs_exist_ok=True)
    return project


@pytest.fixture(scope="module")
def lean_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("refresh_lean") / "proj", LEAN_PARTS)


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("refresh_extracts")
    a = shutil.copytree(FIXTURE, base / "a")
    b = shutil.copytree(FIXTURE, base / "b")
    manifest = json.loads((b / "manifest.json").read_text())
    manifest["extract_id"] = manifest["extract_id"] + "-b"
    (b / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return a, b


@pytest.fixture(scope="module")
def lean_published(lean_project: Path, extracts: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    """A publication of A by the lean project, and how long that build took."""
    work = tmp_path_factory.mktemp("lean_published")
    refresh = Refresh(lean_project, work / "wh" / "il2_registry.duckdb", work)
    started = time.perf_counter()
    result = refresh.build(extracts[0])
    assert result.returncode == 0, result.stdout[-5000:]
    refresh.assert_published(extracts[0])
    return refresh.warehouse, time.perf_counter() - started


def refresh_with_published(project: Path, published: Path, folder: Path) -> Refresh:
    """A new warehouse path where `published` (a complete publication of A) already sits."""
    warehouse = folder / "il2_registry.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(published, warehouse)
    return Refresh(project, warehouse, folder.parent)


def test_readers_keep_querying_and_keep_their_snapshot_across_builds(
    lean_project: Path, lean_published: tuple[Path, float], extracts: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = extracts
    refresh = refresh_with_published(lean_project, lean_published[0], tmp_path / "wh")
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(refresh.warehouse),
                str(stop),
                str(tmp_path / f"r{i}.json"),
                str(VENV_BIN / "duckdb"),
            ]
        )
        for i in range(3)
    ]
    time.sleep(1.0)  # the readers hold the file open before the builds start
    try:
        for extract in (b, a):
            result = refresh.build(extract)
            assert result.returncode == 0, result.stdout[-5000:]
            refresh.assert_published(extract)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)
    both = {",".join(map(str, expected_probe(e))) for e in extracts}
    for i in range(3):
        report = json.loads((tmp_path / f"r{i}.json").read_text())
        assert report["n_errors"] == 0, report["errors"]
        assert report["queries"] > 10
        # The connection held open all along kept the snapshot it opened (A) ...
        assert report["snapshot"] == [list(expected_probe(a))] and report["changed"] == 0
        # ... while new looks from other processes saw the builds as they were published.
        assert set(report["seen"]) == both


def test_a_build_killed_at_any_moment_publishes_all_or_nothing(
    lean_project: Path, lean_published: tuple[Path, float], extracts: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = extracts
    refresh = refresh_with_published(lean_project, lean_published[0], tmp_path / "wh")
    build_seconds = lean_published[1]
    rng = random.Random(20180331)
    # Random moments over the whole run (some after it), then one kill inside the publication.
    delays: list[float | None] = [rng.uniform(0.2, 1.5 * build_seconds) for _ in range(4)] + [None]
    outcomes = []
    current = a
    for delay in delays:
        target = b if current == a else a
        before = sha256(refresh.warehouse)
        process = refresh.start(target)
        if delay is None:  # wait for the publication's scratch folder to appear
            deadline = time.monotonic() + 3 * build_seconds + 30
            while not refresh.scratch_leftovers() and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.002)
            assert refresh.scratch_leftovers(), "the build ended before its publication could be caught"
        else:
            time.sleep(delay)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if sha256(refresh.warehouse) == before:
            outcome = "unchanged"
            assert probe(refresh.warehouse) == expected_probe(current)
        else:
            refresh.assert_published(target)
            outcome, current = "new", target
        outcomes.append((None if delay is None else round(delay, 2), process.returncode, outcome))
    print("\nkills (delay s, return code, published):", outcomes)
    assert outcomes[-1] == (None, -signal.SIGKILL, "unchanged")
    # The next build cleans up after the killed ones and publishes.
    final = b if current == a else a
    result = refresh.build(final)
    assert result.returncode == 0, result.stdout[-5000:]
    refresh.assert_published(final)
    assert refresh.scratch_leftovers() == []


def break_extract(extract: Path, how: str, into: Path) -> Path:
    broken = shutil.copytree(extract, into)
    if how == "missing file":
        (broken / "tumor_assessments.csv").unlink()
    elif how == "row count differs from manifest":
        with open(broken / "sites.csv", "a", encoding="utf-8") as sites:
            sites.write((broken / "sites.csv").read_text().splitlines()[-1] + "\n")
    elif how == "sha256 differs from manifest":
        text = (broken / "follow_up.csv").read_text()
        (broken / "follow_up.csv").write_text(text.replace("\n", "\n ", 1))  # same rows, other bytes
    return broken


@pytest.mark.parametrize(
    "how",
    ["missing file", "row count differs from manifest", "sha256 differs from manifest"],
)
def test_a_broken_extract_leaves_the_published_warehouse_as_it_was(
    lean_project: Path,
    lean_published: tuple[Path, float],
    extracts: tuple[Path, Path],
    tmp_path: Path,
    how: str,
) -> None:
    refresh = refresh_with_published(lean_project, lean_published[0], tmp_path / "wh")
    before = sha256(refresh.warehouse)
    result = refresh.build(break_extract(extracts[1], how, tmp_path / "broken"))
    assert result.returncode != 0
    # The extract check stops dbt before any node runs (issue 12): its problem list, nothing built.
    assert "EXTRACT ERROR" in result.stdout and "OK created" not in result.stdout
    assert sha256(refresh.warehouse) == before


def test_a_failing_dbt_test_publishes_nothing_and_the_rerun_does(
    full_project: Path, lean_published: tuple[Path, float], extracts: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = extracts
    refresh = refresh_with_published(full_project, lean_published[0], tmp_path / "wh")
    before = sha256(refresh.warehouse)
    injected = full_project / "tests" / "dbt" / "refresh_injected_failure.sql"
    injected.parent.mkdir(parents=True, exist_ok=True)
    injected.write_text("-- injected by test_refresh_faults: always fails\nselect 1 as injected_failure\n")
    try:
        failed = refresh.build(b)
    finally:
        injected.unlink()
    assert failed.returncode != 0
    assert "refresh_injected_failure" in failed.stdout and "warehouse not published" in failed.stdout
    assert sha256(refresh.warehouse) == before

    rerun = refresh.build(b)
    assert rerun.returncode == 0, rerun.stdout[-5000:]
    refresh.assert_published(b)
    assert len(shape(refresh.warehouse)) > len(shape(lean_published[0]))  # the project's own marts too

    partial = refresh.build(a, "--select", "refresh_probe")
    assert partial.returncode == 0
    assert "partial build (--select) is not published" in partial.stdout
    assert probe(refresh.warehouse) == expected_probe(b)


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs mount that can be shrunk (needs root, as here and in CI)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (not root?): {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_leaves_the_published_warehouse_as_it_was(
    lean_project: Path, lean_published: tuple[Path, float], extracts: tuple[Path, Path], small_disk: Path
) -> None:
    refresh = refresh_with_published(lean_project, lean_published[0], small_disk)
    before = sha256(refresh.warehouse)
    build_size = (lean_published[0].parent / BUILD_FOLDER / lean_published[0].name).stat().st_size
    # Room for the published file and a new build, not for the publication's two copies.
    size_kb = -(-(refresh.warehouse.stat().st_size + int(1.5 * build_size)) // 1024)
    subprocess.run(["mount", "-o", f"remount,size={size_kb}k", str(small_disk)], check=True)
    result = refresh.build(extracts[1])
    assert result.returncode != 0
    assert "No space left on device" in result.stdout
    assert sha256(refresh.warehouse) == before
    assert refresh.scratch_leftovers() == []

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = refresh.build(extracts[1])
    assert again.returncode == 0, again.stdout[-5000:]
    refresh.assert_published(extracts[1])
