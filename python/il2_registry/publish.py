"""Atomic publication of a finished dbt build (see docs/refresh.md).

dbt builds into a private build file, `<published folder>/.build/<published file name>`, and
never touches the published warehouse that analysts keep open. At the end of a run
(on-run-end) `publish_sql_entry` is called from SQL; it publishes only when the run was a
complete, successful `dbt build`:

1. the build file (checkpointed by the hook) is copied to a scratch file, because DuckDB
   does not let a second database instance in the same process open the file dbt holds;
2. the analyst schemas (everything but `staging` and `intermediate`) are written into a
   fresh DuckDB file, so no byte of the staging layer (which holds PHI) reaches it;
3. the fresh file is checked (it opens; every view binds; no excluded schema, PHI column or
   relative file path; row counts match the build), fsync'ed, and renamed over the published
   path with `os.replace`: an atomic rename on one filesystem. Readers that have the old file
   open keep their snapshot (the old inode); new connections see the new warehouse.

If anything fails before the rename, the published file is untouched and the scratch files
are removed (or, after a kill, removed by the next run: `reset_build_folder`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow

from il2_registry.contract import load_contract
from il2_registry.extract_reader import glob_escape
from il2_registry.locks import LockError, archive_published
from il2_registry.sql_literals import quote_identifier, sql_string

BUILD_FOLDER = ".build"
LOCK_SUFFIX = ".lock"
SCRATCH_PREFIX = "publish-"
# Not part of the analyst interface (MARTS.md); staging holds PHI.
EXCLUDED_SCHEMAS = ("staging", "intermediate")
PHI_COLUMNS = load_contract().phi_columns  # the contract's one PHI list
# Schemas fingerprinted for the determinism check (the analyst interface).
FINGERPRINT_SCHEMAS = ("marts", "core", "audit")
# Executed results that allow publication. `warn` is a dbt test configured as a warning:
# by design it does not stop a build, so it does not stop publication either.
GOOD_STATUSES = ("success", "pass", "warn")
# Node types whose every member must have run (and passed) for a build to be complete.
REQUIRED_RESOURCE_TYPES = ("model", "seed", "snapshot", "test")
# Invocation options that make a `dbt build` partial (or empty): such runs never publish.
PARTIAL_OPTIONS = ("select", "exclude", "selector", "resource_types", "exclude_resource_types", "inline")
# Table functions that read files: a view calling one with a relative path breaks when the
# file is opened from another folder.
_FILE_READERS = re.compile(
    r"\b(read_csv(_auto)?|read_parquet|parquet_scan|read_json(_auto|_objects)?|read_ndjson\w*|"
    r"read_text|read_blob|read_xlsx|glob|delta_scan|iceberg_scan)\s*\(",
    re.IGNORECASE,
)
_STRING_LITERAL = re.compile(r"'((?:[^']|'')*)'")


class PublishError(RuntimeError):
    """The finished build cannot be published; the published warehouse was left as it was."""


# ---------------------------------------------------------------------------------------------
# Paths


def build_path_for(published: Path) -> Path:
    """The build file dbt writes for a published warehouse (same base name, same catalog name)."""
    return published.parent / BUILD_FOLDER / published.name


def published_path_for(build: Path) -> Path:
    """The published warehouse a build file belongs to (the inverse of `build_path_for`)."""
    if build.parent.name != BUILD_FOLDER:
        raise PublishError(
            f"the dbt profile path {build} is not a build file (expected <folder>/{BUILD_FOLDER}/<name>); "
            "profiles.yml must point dbt at the build file, never at the published warehouse"
        )
    return build.parent.parent / build.name


# ---------------------------------------------------------------------------------------------
# Build folder: one refresh at a time, fresh build file for each publishing run


BUILD_FOLDER_MODE = 0o700  # the build folder: its owner only (the build file holds PHI)
BUILD_FILE_MODE = 0o600  # the build file and its WAL


def lock_path_for(build: Path) -> Path:
    """The refresh lock of one warehouse: `.build/<file name>.lock` (two warehouses in one folder
    have two locks, two refreshes of one warehouse share one)."""
    return build.with_name(build.name + LOCK_SUFFIX)


def secure_build_folder(build: Path) -> None:
    """Create the build folder if needed and force its mode to 0700, and the build file's (and
    WAL's) to 0600 when they exist, whatever an earlier run, a copy or an umask left: the build
    file holds staging, PHI included. Called at every build, before and after DuckDB opens it."""
    build.parent.mkdir(parents=True, exist_ok=True)
    build.parent.chmod(BUILD_FOLDER_MODE)
    for path in (build, build.with_name(build.name + ".wal")):
        if path.exists():
            path.chmod(BUILD_FILE_MODE)


def acquire_build_lock(build: Path) -> IO[str]:
    """Take the warehouse's refresh lock for the life of the process (or until the file is closed).

    Two dbt runs on one warehouse would otherwise share (and reset) one build file.
    """
    secure_build_folder(build)
    lock = lock_path_for(build)
    handle = open(lock, "a+")  # noqa: SIM115 - held open on purpose
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise PublishError(
            f"another dbt run is already building {build} "
            f"(lock {lock} held by {holder}); wait for it to finish"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    return handle


def scratch_path_for(build: Path, pid: int) -> Path:
    """The publish step's scratch folder of one build file and process."""
    return build.parent / f"{SCRATCH_PREFIX}{build.name}-{pid}"


def reset_build_folder(build: Path) -> list[Path]:
    """Delete the build file, its WAL and scratch files left by an earlier (maybe killed) run.

    Call it holding the build lock, before dbt connects. Returns what was deleted.
    """
    removed: list[Path] = []
    for leftover in (build, build.with_name(build.name + ".wal")):
        if leftover.exists():
            leftover.unlink()
            removed.append(leftover)
    for scratch in build.parent.glob(f"{SCRATCH_PREFIX}{glob_escape(build.name)}-*"):
        shutil.rmtree(scratch, ignore_errors=True)
        removed.append(scratch)
    return removed


# ---------------------------------------------------------------------------------------------
# Decision: was this run a complete, successful `dbt build`?


@dataclass(frozen=True)
class RunFacts:
    """What the on-run-end hook knows about the run."""

    command: str
    invocation: Mapping[str, Any] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)  # unique_id -> result status
    required: tuple[str, ...] = ()  # unique_ids of every enabled node of REQUIRED_RESOURCE_TYPES

    @classmethod
    def from_hook(cls, facts: Mapping[str, Any]) -> RunFacts:
        invocation = dict(facts.get("invocation") or {})
        return cls(
            command=str(invocation.get("which") or ""),
            invocation=invocation,
            statuses={r["unique_id"]: str(r["status"]).lower() for r in facts.get("results") or []},
            required=tuple(facts.get("required") or ()),
        )


def is_full_build_invocation(command: str, invocation: Mapping[str, Any]) -> bool:
    """A `dbt build` of the whole project: the only kind of run that may publish."""
    if command != "build" or invocation.get("empty"):
        return False
    return not any(invocation.get(option) for option in PARTIAL_OPTIONS)


def publish_refusal(facts: RunFacts) -> str | None:
    """Why this run must not publish, or None when it may."""
    if facts.command != "build":
        return f"`dbt {facts.command or '?'}` never publishes (only a full `dbt build` does)"
    if facts.invocation.get("empty"):
        return "`dbt build --empty` builds empty tables: not published"
    partial = [option for option in PARTIAL_OPTIONS if facts.invocation.get(option)]
    if partial:
        return f"a partial build ({', '.join('--' + p.replace('_', '-') for p in partial)}) is not published"
    bad = sorted(f"{uid} ({status})" for uid, status in facts.statuses.items() if status not in GOOD_STATUSES)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        return f"{len(bad)} node(s) did not succeed: {shown}"
    missing = sorted(set(facts.required) - set(facts.statuses))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        return f"the run did not build the whole project ({len(missing)} node(s) not run: {shown})"
    return None


# ---------------------------------------------------------------------------------------------
# The atomic publication


@dataclass(frozen=True)
class PublishReport:
    published: Path
    tables: int
    views: int
    rows: int
    bytes: int
    seconds: float
    lock: str = ""  # what the lock archive did (il2_registry.locks)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str, str]]:
    """(schema, name, 'table'|'view') of every user relation in `catalog`."""
    rows = con.execute(
        """
        select schema_name, table_name, 'table' from duckdb_tables()
        where database_name = $1 and not internal and not temporary
        union all
        select schema_name, view_name, 'view' from duckdb_views()
        where database_name = $1 and not internal and not temporary
        order by 1, 2
        """,
        [catalog],
    ).fetchall()
    return [(str(s), str(n), str(k)) for s, n, k in rows]


def _scratch_connection(spill: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection for one step of the publication, under the build's memory
    cap (il2_registry.duckdb_settings; the default DuckDB cap, 80% of the machine, let the PHI
    scan and the copy take 3.3 GB beside the build's own memory at 1M patients), spilling into
    `spill`, not the working directory."""
    from il2_registry.duckdb_settings import physical_memory_bytes, scratch_connection_settings

    return duckdb.connect(
        ":memory:", config=scratch_connection_settings(spill, physical_memory_bytes(), os.environ)
    )


def relative_file_paths(view_sql: str) -> list[str]:
    """String literals in a view's SQL that are file paths not written as absolute paths."""
    if not _FILE_READERS.search(view_sql):
        return []
    found = []
    for match in _STRING_LITERAL.finditer(view_sql):
        literal = match.group(1).replace("''", "'")
        looks_like_path = "/" in literal or re.search(r"\.(csv|tsv|txt|parquet|json|ndjson|xlsx)\b", literal)
        if looks_like_path and not (literal.startswith("/") or "://" in literal):
            found.append(literal)
    return found


def check_published_file(
    path: Path, catalog: str, expected_rows: Mapping[tuple[str, str], int], spill: Path | None = None
) -> list[str]:
    """Everything wrong with a candidate published file (empty list: fit to publish)."""
    problems: list[str] = []
    con = _scratch_connection(spill)
    try:
        con.execute(f"attach {sql_string(str(path))} as {quote_identifier(catalog)} (read_only)")
        con.execute(f"use {quote_identifier(catalog)}")
        schemas = {
            str(s)
            for (s,) in con.execute(
                "select schema_name from duckdb_schemas() where database_name = $1", [catalog]
            ).fetchall()
        }
        problems += [f"schema {s} must not be published" for s in EXCLUDED_SCHEMAS if s in schemas]
        phi = con.execute(
            "select table_schema || '.' || table_name || '.' || column_name from information_schema.columns "
            "where table_catalog = $1 and lower(column_name) in (select unnest($2)) order by 1",
            [catalog, list(PHI_COLUMNS)],
        ).fetchall()
        problems += [f"PHI column {c} must not be published" for (c,) in phi]
        for schema, name, kind in _relations(con, catalog):
            relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
            if kind == "view":
                (sql,) = con.execute(
                    "select sql from duckdb_views() "
                    "where database_name = $1 and schema_name = $2 and view_name = $3",
                    [catalog, schema, name],
                ).fetchone() or ("",)
                for literal in relative_file_paths(str(sql)):
                    problems.append(f"view {schema}.{name} reads the relative path {literal!r}")
                try:
                    con.execute(f"select * from {relation} limit 0").fetchall()
                except duckdb.Error as error:
                    problems.append(f"view {schema}.{name} does not work in the published copy: {error}")
            elif (schema, name) in expected_rows:
                (rows,) = con.execute(f"select count(*) from {relation}").fetchone() or (None,)
                built = expected_rows[(schema, name)]
                if rows != built:
                    problems.append(f"table {schema}.{name} has {rows} rows, the build has {built}")
        missing = set(expected_rows) - {(s, n) for s, n, k in _relations(con, catalog) if k == "table"}
        problems += [f"table {s}.{n} is missing from the published copy" for s, n in sorted(missing)]
    except duckdb.Error as error:
        problems.append(f"the published copy does not open: {error}")
    finally:
        con.close()
    return problems


PHI_VALUES_RELATION = "staging.stg_registry__phi_values"
# Text columns where the warehouse itself writes event dates as text (finding details, values
# as written): scanned for MRNs and marked initials, not for birth dates (an event date may
# equal another patient's birth date; PHI columns are already '<redacted>' there).
_DATE_TEXT_COLUMNS = {
    ("audit", "findings", "detail"),
    ("audit", "findings", "value"),
    ("audit", "rejected_rows", "value"),
}
# Text the warehouse composes itself from templates (finding details, reject details, column
# names): its English ("the patient is analysed", "patient_id") reads as a marker word plus
# two capitals, so it is not scanned for marked initials. Extract text reaches these columns
# only through staging, where free text is already redacted; MRNs are still looked for.
_WAREHOUSE_TEXT_COLUMNS = {
    ("audit", "findings", "detail"),
    ("audit", "findings", "check_name"),
    ("audit", "findings", "column_name"),
    ("audit", "rejected_rows", "detail"),
    ("audit", "rejected_rows", "column_name"),
    ("audit", "rejected_rows", "reason"),
}


def _phi_patterns() -> dict[str, str]:
    """The PHI-in-text regexes, the contract's (source meta phi_patterns in
    models/staging/_registry__sources.yml), which staging's free-text scan reads too."""
    from il2_registry.contract import load_contract

    patterns = load_contract().phi_patterns
    missing = {"mrn_token", "date_token", "marked_initials"} - set(patterns)
    if missing:
        raise ValueError(f"the contract's phi_patterns lack {', '.join(sorted(missing))}")
    return patterns


def read_phi_values(build_copy: Path, catalog: str, spill: Path | None = None) -> dict[str, list]:
    """The extract's PHI values from the build (staging, which holds them): MRNs, initials and
    birth dates, for the scan of the published copy, each list distinct and sorted. Empty lists
    when the build has no such relation (a project without staging)."""
    con = _scratch_connection(spill)
    try:
        con.execute(f"attach {sql_string(str(build_copy))} as {quote_identifier(catalog)} (read_only)")
        relation = f"{quote_identifier(catalog)}.{PHI_VALUES_RELATION}"
        values: dict[str, list] = {}
        # Distinct and sorted by DuckDB, not in Python (a million rows; text sorts by code
        # point either way); empty text is no value.
        for column, value, wanted in (
            ("mrn", "cast(mrn as varchar)", "v <> ''"),
            ("initials", "cast(initials as varchar)", "v <> ''"),
            ("birth_date", "birth_date", "v is not null"),
        ):
            try:
                rows = con.execute(
                    f"select distinct v from (select {value} as v from {relation}) where {wanted} order by 1"
                ).fetchall()
            except duckdb.CatalogException:
                rows = []
            values[column] = [v for (v,) in rows]
    finally:
        con.close()
    return values


def _mrn_prefix(mrns: Iterable[str]) -> str:
    """The longest prefix every MRN shares ('' when they share none): a value can hold an MRN as
    a token only if its upper-cased text contains this prefix, so the token scan skips the
    rest (a million patient ids, ten million contact ids) without changing a hit."""
    return os.path.commonprefix(list(mrns))


def phi_value_problems(
    path: Path, catalog: str, phi: Mapping[str, list], spill: Path | None = None
) -> list[str]:
    """Every text column of the candidate file holding one of the extract's PHI values: an MRN
    as a whole token, a birth date written ISO or US, initials right after a PHI marker word.
    The message names the column and the kind of value, never the value.

    The token scans read each distinct text value of the file once, whatever the number of
    columns it sits in (a patient id is in some twenty tables), then each column counts the PHI
    tokens of its rows: the same counts as scanning each column's values on its own.
    `spill`: DuckDB's temp directory (not the working directory) when the values outgrow memory."""
    if not any(phi.values()):
        return []
    patterns = _phi_patterns()
    problems: list[str] = []
    con = _scratch_connection(spill)
    try:
        con.execute(f"attach {sql_string(str(path))} as {quote_identifier(catalog)} (read_only)")
        # Through Arrow: a list parameter of a million values binds one value at a time.
        for name, values, kind in (
            ("phi_mrn", phi["mrn"], pyarrow.string()),
            ("phi_initials", phi["initials"], pyarrow.string()),
            ("phi_birth", phi["birth_date"], pyarrow.date32()),
        ):
            con.register(f"{name}_values", pyarrow.table({"v": pyarrow.array(values, type=kind)}))
            con.execute(f"create temp table {name} as select v from {name}_values")
        tables = {(s, n) for s, n, kind in _relations(con, catalog) if kind == "table"}
        columns = [
            (str(s), str(t), str(c))
            for s, t, c in con.execute(
                "select schema_name, table_name, column_name from duckdb_columns() "
                "where database_name = $1 and data_type = 'VARCHAR' and not internal order by 1, 2, 3",
                [catalog],
            ).fetchall()
            if (s, t) in tables
        ]
        if not columns:
            return []

        def relation(schema: str, table: str) -> str:
            return f"{quote_identifier(catalog)}.{quote_identifier(schema)}.{quote_identifier(table)}"

        # 1. Each distinct text value of the file once (a column's exclusions below apply when
        # its rows are counted, so a value is scanned once for every kind).
        con.execute(
            "create temp table text_values as select distinct v from ("
            + " union all ".join(
                f"select {quote_identifier(c)} as v from {relation(s, t)} "
                f"where {quote_identifier(c)} is not null"
                for s, t, c in columns
            )
            + ")"
        )
        # 2. Each token scan once over those values: per value, how many of its tokens are the
        # extract's PHI (a value with two MRN tokens counts twice, as before).
        mrn_prefix = _mrn_prefix(phi["mrn"])
        # (kind named in the message, PHI list, columns not scanned for it, per-value query)
        scans = [
            (
                "an MRN",
                "mrn",
                set(),
                "select v, count(*) from (select v, unnest(regexp_extract_all("
                f"upper(v), {sql_string(patterns['mrn_token'])})) as t from text_values"
                f"{' where contains(upper(v), $1)' if mrn_prefix else ''}) "
                "where t in (select v from phi_mrn) group by v",
            ),
            (
                "initials after a PHI marker",
                "initials",
                _WAREHOUSE_TEXT_COLUMNS,
                "select v, count(*) from (select v, unnest(regexp_extract_all("
                f"upper(v), {sql_string(patterns['marked_initials'])}, 1)) as t from text_values) "
                "where t in (select v from phi_initials) group by v",
            ),
            (
                "a birth date",
                "birth_date",
                _DATE_TEXT_COLUMNS,
                "select v, count(*) from (select v, unnest(regexp_extract_all("
                f"v, {sql_string(patterns['date_token'])})) as t from text_values) "
                "where coalesce(try_cast(t as date), cast(try_strptime(t, '%m/%d/%Y') as date)) "
                "in (select v from phi_birth) group by v",
            ),
        ]
        con.execute("create temp table phi_hits (kind varchar, v varchar, k bigint)")
        for kind, key, _, query in scans:
            if phi[key]:
                parameters = [mrn_prefix] if key == "mrn" and mrn_prefix else []
                con.execute(f"insert into phi_hits select {sql_string(kind)}, * from ({query})", parameters)
        found = {str(k) for (k,) in con.execute("select distinct kind from phi_hits").fetchall()}
        # 3. Only when some value holds PHI: each column's rows times the PHI tokens of their
        # value, for the kinds scanned in that column.
        for schema, table, column in columns if found else []:
            kinds = [
                kind
                for kind, _, excluded, _ in scans
                if kind in found and (schema, table, column) not in excluded
            ]
            if not kinds:
                continue
            counts = dict(
                con.execute(
                    f"select h.kind, sum(h.k) from {relation(schema, table)} as r join phi_hits as h "
                    f"on r.{quote_identifier(column)} = h.v where h.kind in (select unnest($1)) group by 1",
                    [kinds],
                ).fetchall()
            )
            for kind in kinds:
                hits = counts.get(kind)
                if hits:
                    problems.append(
                        f"{schema}.{table}.{column} holds {kind} of the extract in {hits} value(s) (PHI)"
                    )
    finally:
        con.close()
    return problems


def _catalog_name(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Attach `path` read-only under the name DuckDB gives it when it is opened (its catalog)."""
    con.execute(f"attach {sql_string(str(path))} (read_only)")
    (name,) = con.execute(
        "select database_name from duckdb_databases() "
        "where not internal and database_name not in ('memory', 'system', 'temp')"
    ).fetchone() or ("",)
    return str(name)


def _write_analyst_copy(
    source: Path, target: Path, spill: Path
) -> tuple[str, dict[tuple[str, str], int], int]:
    """Write every schema but the excluded ones from `source` into the new file `target`.

    Returns the catalog name, the row count of each table written and the number of views.
    """
    con = _scratch_connection(spill)
    try:
        # The catalog name analysts will see (same file name as the published warehouse), so
        # that fully qualified references in view bodies bind while the views are copied.
        catalog = _catalog_name(con, source)
        con.execute(f"attach {sql_string(str(target))} as il2_publish_target")
        # Same catalog name as analysts will see, so fully qualified view bodies bind.
        con.execute(f"use {quote_identifier(catalog)}")
        # Definitions only (tables, views, macros, sequences, with their constraints) ...
        con.execute(f"copy from database {quote_identifier(catalog)} to il2_publish_target (schema)")
        for schema in EXCLUDED_SCHEMAS:
            con.execute(f"drop schema if exists il2_publish_target.{quote_identifier(schema)} cascade")
        # ... then the rows of the analyst tables only: staging rows are never written.
        rows: dict[tuple[str, str], int] = {}
        views = 0
        for schema, name, kind in _relations(con, "il2_publish_target"):
            if kind == "view":
                views += 1
                continue
            relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
            source_relation = f"{quote_identifier(catalog)}.{relation}"
            con.execute(f"insert into il2_publish_target.{relation} select * from {source_relation}")
            (count,) = con.execute(f"select count(*) from {source_relation}").fetchone() or (0,)
            rows[(schema, name)] = int(count)
        con.execute("checkpoint il2_publish_target")
        con.execute("detach il2_publish_target")
    finally:
        con.close()
    return catalog, rows, views


def extract_unchanged_problems(extract_dir: Path | None) -> list[str]:
    """The extract files whose bytes differ from those verified at the start of the run."""
    if extract_dir is None:
        return []
    from il2_registry.extract_check import changed_files

    return changed_files(extract_dir)


def publish(
    build: Path,
    published: Path | None = None,
    run_vars: Mapping[str, Any] | None = None,
    extract_dir: Path | None = None,
) -> PublishReport:
    """Publish the (checkpointed, no longer written) build file atomically over `published`.

    With `extract_dir`, every extract file is hashed again after the last read (the build is
    finished) and before the rename: a file changed since the on-run-start check stops the
    publication, so the bytes built are the bytes verified."""
    started = time.perf_counter()
    build = Path(build)
    published = Path(published) if published is not None else published_path_for(build)
    if not build.is_file():
        raise PublishError(f"no build file at {build}")
    scratch = scratch_path_for(build, os.getpid())
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "source").mkdir(parents=True)
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(scratch).st_dev != os.stat(published.parent).st_dev:
            raise PublishError(f"{scratch} and {published.parent} are on different filesystems")
        source = scratch / "source" / build.name
        shutil.copyfile(build, source)
        candidate = scratch / build.name
        catalog, rows, views = _write_analyst_copy(source, candidate, scratch / "spill")
        phi = read_phi_values(source, catalog, scratch / "spill")
        source.unlink()  # the full copy holds staging (PHI): gone as soon as it is not needed
        problems = check_published_file(candidate, catalog, rows, scratch / "spill")
        problems += phi_value_problems(candidate, catalog, phi, scratch / "spill")
        if problems:
            raise PublishError("the finished build was not published:\n- " + "\n- ".join(problems))
        changed = extract_unchanged_problems(extract_dir)
        if changed:
            raise PublishError(
                f"the extract {extract_dir} changed during the build, so what was built is not what "
                f"was verified; {published} was not published (it is unchanged): rebuild from a "
                "stable extract.\n- " + "\n- ".join(changed)
            )
        if published.exists():  # keep the permissions an administrator gave the warehouse
            shutil.copymode(published, candidate)
        _fsync_path(candidate)
        os.replace(candidate, published)
        _fsync_path(published.parent)  # make the rename itself durable
        try:
            lock = archive_published(published, run_vars)
        except (LockError, OSError, duckdb.Error) as error:
            raise PublishError(f"{published} was published, but its lock was not archived: {error}") from (
                error
            )
        return PublishReport(
            published=published,
            tables=len(rows),
            views=views,
            rows=sum(rows.values()),
            bytes=published.stat().st_size,
            seconds=time.perf_counter() - started,
            lock=lock.message,
        )
    except (OSError, duckdb.Error) as error:
        raise PublishError(f"publishing {build} to {published} failed (it is unchanged): {error}") from error
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def publish_sql_entry(args_json: str) -> str:
    """SQL entry point `il2_publish(args_json)`, called by the on-run-end hook after CHECKPOINT.

    `args_json`: {"build_path", "invocation" (invocation_args_dict), "results": [{"unique_id",
    "status"}], "required": [unique_id, ...], "vars", "extract_dir"}.
    Returns a one-line message for the dbt log; raises (failing the run) when a complete build
    could not be published.
    """
    facts_json = json.loads(args_json)
    build = Path(facts_json["build_path"])
    published = published_path_for(build)
    refusal = publish_refusal(RunFacts.from_hook(facts_json))
    if refusal:
        return f"warehouse not published: {refusal}; {published} is unchanged (the build stays in {build})"
    extract_dir = facts_json.get("extract_dir")
    if extract_dir:
        from il2_registry.extract_check import resolve_extract_dir

        extract_dir = resolve_extract_dir(str(extract_dir))
    report = publish(build, published, facts_json.get("vars"), extract_dir)
    return (
        f"published {published}: {report.tables} tables ({report.rows} rows), {report.views} views, "
        f"{report.bytes / 1e6:.1f} MB in {report.seconds:.2f} s; {report.lock}"
    )


# ---------------------------------------------------------------------------------------------
# Determinism


def table_fingerprints(path: Path | str, schemas: Iterable[str] = FINGERPRINT_SCHEMAS) -> dict[str, str]:
    """SHA-256 over each table's rows in sorted order, keyed `schema.table`, for `schemas`.

    Two builds of the same extract must give identical fingerprints. Row order and physical
    layout do not matter; column names, types and every value do. Opens the file read-only.
    """
    con = duckdb.connect(str(path), read_only=True)
    try:
        wanted = list(schemas)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in (select unnest($1)) order by 1, 2",
            [wanted],
        ).fetchall()
        prints: dict[str, str] = {}
        for schema, name in tables:
            relation = f"{quote_identifier(schema)}.{quote_identifier(name)}"
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = current_database() and schema_name = $1 and table_name = $2 "
                "order by column_index",
                [schema, name],
            ).fetchall()
            digest = hashlib.sha256(json.dumps(columns).encode())
            # Each row as canonical text; sorting the text makes the order of rows irrelevant.
            cursor = con.execute(f"select to_json(t)::varchar as r from {relation} as t order by r")
            while batch := cursor.fetchmany(10_000):
                for (row,) in batch:
                    digest.update(row.encode())
                    digest.update(b"\n")
            prints[f"{schema}.{name}"] = digest.hexdigest()
        return prints
    finally:
        con.close()
