"""Refresh: publication decision, atomic publication, fingerprints, `il2reg sql` (docs/refresh.md).

Fast tests on hand-made DuckDB files; the dbt-driven fault suite is test_refresh_faults.py, and
the determinism of a real build is checked at the end of this file (slow).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import VENV_BIN, run_dbt
from il2_registry.commands.sql import cli_version, duckdb_cli_binary, library_version, parse_version
from il2_registry.publish import (
    PublishError,
    RunFacts,
    acquire_build_lock,
    build_path_for,
    publish,
    publish_refusal,
    published_path_for,
    relative_file_paths,
    reset_build_folder,
    table_fingerprints,
)

PHI_VALUE = "PHIMRN-0000123-XYZ"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_build(published: Path, *, marts_rows: int = 3, extra_sql: str = "") -> Path:
    """A small finished build: staging with a PHI value, marts/audit tables, a marts view."""
    build = build_path_for(published)
    build.parent.mkdir(parents=True, exist_ok=True)
    for stale in (build, build.with_name(build.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(build))
    con.execute("create schema staging; create schema intermediate; create schema marts; create schema audit")
    # Uncompressed, so the test below would see the PHI bytes if they were copied.
    con.execute("pragma force_compression = 'uncompressed'")
    con.execute(f"create table staging.stg_patients as select '{PHI_VALUE}' as mrn, 'P1' as patient_id")
    con.execute("create table intermediate.int_x as select * from staging.stg_patients")
    con.execute(
        f"create table marts.cohort as select i patient_id, i % 2 = 0 as even from range({marts_rows}) r(i)"
    )
    con.execute("create table audit.reconciliation as select 'patients.csv' as file, 3 as rows_in_file")
    con.execute("create view marts.even_patients as select * from il2_registry.marts.cohort where even")
    if extra_sql:
        con.execute(extra_sql)
    con.execute("checkpoint")
    con.close()
    return build


# --- paths -------------------------------------------------------------------------------------


def test_build_file_sits_in_dot_build_with_the_same_name(tmp_path: Path) -> None:
    published = tmp_path / "wh" / "il2_registry.duckdb"
    assert build_path_for(published) == tmp_path / "wh" / ".build" / "il2_registry.duckdb"
    assert published_path_for(build_path_for(published)) == published


def test_a_profile_pointing_at_the_published_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="not a build file"):
        published_path_for(tmp_path / "il2_registry.duckdb")


# --- decision ------------------------------------------------------------------------------------


def facts(command: str = "build", statuses: dict[str, str] | None = None, **invocation: object) -> RunFacts:
    statuses = {"model.a": "success", "test.b": "pass"} if statuses is None else statuses
    return RunFacts(command=command, invocation=invocation, statuses=statuses, required=("model.a", "test.b"))


def test_a_complete_successful_build_publishes() -> None:
    assert publish_refusal(facts()) is None
    # A test configured as a warning does not stop a build, so it does not stop publication.
    assert publish_refusal(facts(statuses={"model.a": "success", "test.b": "warn"})) is None


@pytest.mark.parametrize("status", ["error", "fail", "skipped", "runtime error"])
def test_any_unsuccessful_node_stops_publication(status: str) -> None:
    refusal = publish_refusal(facts(statuses={"model.a": "success", "test.b": status}))
    assert refusal is not None and "test.b" in refusal


@pytest.mark.parametrize(
    "invocation",
    [{"select": ["cohort"]}, {"exclude": ["x"]}, {"selector": "nightly"}, {"resource_types": ["model"]}],
)
def test_a_partial_build_does_not_publish(invocation: dict[str, object]) -> None:
    assert "partial" in (publish_refusal(facts(**invocation)) or "")


def test_an_empty_build_does_not_publish() -> None:
    assert "--empty" in (publish_refusal(facts(empty=True)) or "")


@pytest.mark.parametrize("command", ["run", "test", "seed", "compile", "show", "retry"])
def test_only_dbt_build_publishes(command: str) -> None:
    assert "never publishes" in (publish_refusal(facts(command=command)) or "")


def test_a_build_that_left_out_nodes_does_not_publish() -> None:
    # e.g. a default selector in selectors.yml: no --select, yet not every node ran.
    refusal = publish_refusal(facts(statuses={"model.a": "success"}))
    assert refusal is not None and "test.b" in refusal


# --- publication ---------------------------------------------------------------------------------


def test_publish_writes_the_analyst_schemas_only_and_no_staging_byte(tmp_path: Path) -> None:
    published = tmp_path / "il2_registry.duckdb"
    build = make_build(published)
    assert PHI_VALUE.encode() in build.read_bytes()  # the probe is visible in a raw file

    report = publish(build)

    assert report.published == published and report.tables == 2 and report.views == 1
    assert PHI_VALUE.encode() not in published.read_bytes()
    con = duckdb.connect(str(published), read_only=True)
    schemas = {
        s for (s,) in con.execute("select schema_name from duckdb_schemas() where not internal").fetchall()
    }
    assert {"marts", "audit"} <= schemas and not schemas & {"staging", "intermediate"}
    # range(3) -> patient_id 0, 1, 2; the view keeps the even ones: 0 and 2.
    assert con.execute("select patient_id from marts.even_patients order by 1").fetchall() == [(0,), (2,)]
    con.close()
    assert [p.name for p in build.parent.iterdir() if p.name.startswith("publish-")] == []


def test_publish_replaces_the_file_while_a_reader_keeps_its_snapshot(tmp_path: Path) -> None:
    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published, marts_rows=3))
    reader = duckdb.connect(str(published), read_only=True)
    assert reader.execute("select count(*) from marts.cohort").fetchone() == (3,)

    publish(make_build(published, marts_rows=5))

    # The open connection still reads the old file (old inode) ...
    assert reader.execute("select count(*) from marts.cohort").fetchone() == (3,)
    # ... and so does a new connection in the same process while the old one is open: the
    # Python library hands out the database it already has open for that path.
    same_process = duckdb.connect(str(published), read_only=True)
    assert same_process.execute("select count(*) from marts.cohort").fetchone() == (3,)
    same_process.close()
    # Another process sees the new build at once, and this one after closing its connections.
    other = subprocess.run(
        [
            str(VENV_BIN / "il2reg"),
            "sql",
            "--warehouse",
            str(published),
            "-c",
            "select count(*) * 100 from marts.cohort",
        ],
        capture_output=True,
        text=True,
    )
    assert "500" in other.stdout, other.stderr
    reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("select count(*) from marts.cohort").fetchone() == (5,)
    fresh.close()


@pytest.mark.parametrize(
    ("extra_sql", "problem"),
    [
        ("create view marts.leaky as select * from staging.stg_patients", "view marts.leaky does not work"),
        (
            "create table core.dim_patient as select 'x' as birth_date",
            "PHI column core.dim_patient.birth_date",
        ),
        (
            "create view audit.raw_sites as select * from read_csv('data/extract/sites.csv')",
            "relative path 'data/extract/sites.csv'",
        ),
    ],
)
def test_an_unfit_build_is_refused_and_the_published_file_is_untouched(
    tmp_path: Path, extra_sql: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published))
    before = sha256(published)
    if "read_csv" in extra_sql:  # the view must bind at creation: give it a file to read
        (tmp_path / "data" / "extract").mkdir(parents=True)
        (tmp_path / "data" / "extract" / "sites.csv").write_text("site_id\nS1\n")
        monkeypatch.chdir(tmp_path)
    build = make_build(published, extra_sql=("create schema if not exists core; " + extra_sql))

    with pytest.raises(PublishError, match="not published") as raised:
        publish(build)

    assert problem in str(raised.value)
    assert sha256(published) == before
    assert [p.name for p in build.parent.iterdir() if p.name.startswith("publish-")] == []


def test_publish_keeps_the_permissions_of_the_published_file(tmp_path: Path) -> None:
    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published))
    published.chmod(0o640)
    publish(make_build(published, marts_rows=5))
    assert published.stat().st_mode & 0o777 == 0o640


def test_relative_paths_are_found_only_in_file_reading_views() -> None:
    assert relative_file_paths("select * from read_csv('data/x.csv', header = true)") == ["data/x.csv"]
    assert relative_file_paths("select * from read_parquet('/abs/x.parquet')") == []
    assert relative_file_paths("select 'a/b' as label from t") == []


def test_a_second_refresh_of_the_same_warehouse_is_refused_while_one_runs(tmp_path: Path) -> None:
    build = build_path_for(tmp_path / "il2_registry.duckdb")
    held = acquire_build_lock(build)
    # The build folder it creates holds staging (PHI): only its owner may enter it.
    assert build.parent.stat().st_mode & 0o777 == 0o700
    probe = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            "import sys; from pathlib import Path; from il2_registry.publish import acquire_build_lock; "
            "acquire_build_lock(Path(sys.argv[1]))",
            str(build),
        ],
        capture_output=True,
        text=True,
    )
    held.close()
    assert probe.returncode != 0 and "another dbt run is already building" in probe.stderr


def test_reset_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    build = make_build(tmp_path / "il2_registry.duckdb")
    build.with_name(build.name + ".wal").write_bytes(b"half a wal")
    (build.parent / "publish-il2_registry.duckdb-4242" / "source").mkdir(parents=True)
    removed = reset_build_folder(build)
    assert len(removed) == 3 and not build.exists() and list(build.parent.glob("publish-*")) == []


# --- fingerprints ----------------------------------------------------------------------------------


def test_fingerprints_ignore_row_order_but_not_values(tmp_path: Path) -> None:
    def warehouse(name: str, rows_sql: str) -> Path:
        path = tmp_path / name / "il2_registry.duckdb"
        path.parent.mkdir()
        con = duckdb.connect(str(path))
        con.execute("create schema marts; create schema staging")
        con.execute(f"create table marts.t as {rows_sql}")
        con.execute("create table staging.s as select 1 as x")
        con.close()
        return path

    ascending = warehouse("a", "select * from (values (1, 'a'), (2, 'b')) v(id, label)")
    descending = warehouse("b", "select * from (values (2, 'b'), (1, 'a')) v(id, label)")
    changed = warehouse("c", "select * from (values (1, 'a'), (2, 'B')) v(id, label)")
    prints = table_fingerprints(ascending)
    assert list(prints) == ["marts.t"]  # staging is not fingerprinted
    assert prints == table_fingerprints(descending)
    assert prints != table_fingerprints(changed)


# --- il2reg sql ----------------------------------------------------------------------------------


def il2reg_sql(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "il2reg"), "sql", *args], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_the_bundled_duckdb_cli_matches_the_library() -> None:
    binary = duckdb_cli_binary()
    assert binary is not None and binary.is_file()
    assert cli_version(binary) == library_version()
    assert parse_version("v1.5.6 (Variegata) 069cc9f9b5") == "1.5.6"


def test_sql_runs_a_query_read_only(tmp_path: Path) -> None:
    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published, marts_rows=4))
    env = {"IL2_WAREHOUSE": str(published)}

    counted = il2reg_sql("-c", "select count(*) as n from marts.cohort", env=env)
    assert counted.returncode == 0, counted.stderr
    assert "4" in counted.stdout and "warning" not in counted.stderr

    write = il2reg_sql("-c", "create table marts.scribble as select 1", env=env)
    assert write.returncode != 0 and "read-only" in (write.stdout + write.stderr)


def test_sql_passes_duckdb_cli_flags_through(tmp_path: Path) -> None:
    # The issue: `-csv -c "..."` was parsed as `-c sv`. Each output mode of the DuckDB CLI, as
    # an analyst types it; the file opened is named on stderr; no colour codes in a pipe.
    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published, marts_rows=3))
    env = {"IL2_WAREHOUSE": str(published)}
    query = "select count(*) as n from marts.cohort"
    csv = il2reg_sql("-csv", "-c", query, env=env)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout == "n\n3\n"
    assert f"il2reg sql: {published} (read-only)" in csv.stderr
    assert il2reg_sql("-json", "-c", query, env=env).stdout.strip() == '[{"n":3}]'
    assert il2reg_sql("-line", "-c", query, env=env).stdout.strip() == "n = 3"
    assert il2reg_sql("-markdown", "-c", query, env=env).stdout.splitlines()[0].replace(" ", "") == "|n|"
    script = tmp_path / "count.sql"
    script.write_text(query + ";\n")
    for args in (["-csv", "-f", str(script)], [str(script)]):
        ran = il2reg_sql(*args, env=env)
        assert ran.returncode == 0 and "3" in ran.stdout, ran.stderr
    described = il2reg_sql("-c", "describe marts.cohort", env=env)
    assert described.returncode == 0 and "patient_id" in described.stdout
    assert "\x1b[" not in described.stdout + described.stderr
    failed = il2reg_sql("-c", "select * from marts.nowhere", env=env)
    assert failed.returncode != 0 and "\x1b[" not in failed.stderr and "nowhere" in failed.stderr


def test_sql_explains_what_is_missing(tmp_path: Path) -> None:
    missing = il2reg_sql(env={"IL2_WAREHOUSE": str(tmp_path / "none.duckdb")})
    assert missing.returncode == 1 and "no published warehouse" in missing.stderr

    published = tmp_path / "il2_registry.duckdb"
    publish(make_build(published))
    no_harlequin = il2reg_sql(
        "--harlequin", env={"IL2_WAREHOUSE": str(published), "IL2_PROJECT_ROOT": str(tmp_path)}
    )
    assert no_harlequin.returncode == 1 and "make .venv-harlequin" in no_harlequin.stderr


# --- determinism of a real build ------------------------------------------------------------------


@pytest.mark.slow
def test_the_same_extract_built_twice_gives_identical_marts(
    paper_extract: Path, paper_warehouse: Path, tmp_path: Path
) -> None:
    # This caught marts.cox differing in the last bits (the Cox fit took rows in scan order),
    # fixed in f8d77cd by sorting before the fit.
    again = tmp_path / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=again, extract_dir=paper_extract, work_dir=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]

    first, second = table_fingerprints(paper_warehouse), table_fingerprints(again)
    assert first, "the paper warehouse has no table in marts, core or audit"
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"tables that differ between two builds of one extract: {differing}"
