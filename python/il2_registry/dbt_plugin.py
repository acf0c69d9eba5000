"""dbt-duckdb plugin: gives the build's DuckDB connection the project's Python edge functions.

Registered in profiles.yml. The functions are SQL-callable so that dbt hooks can use them:
- `il2_extract_check(extract_dir)` checks an extract against its manifest and the contract
  before anything is built (on-run-start, `il2_registry.extract_check`); it returns
  {ok, message} as JSON and the hook's macro stops the run with the message.
- `il2_contract_table(name)` gives one file of the contract spec as the source node dbt would
  parse (for unit tests, whose manifest has no `graph`; macros/registry_contract.sql).
- `il2_csv_parallel_safe(path)` says whether DuckDB's parallel CSV scanner reads an extract
  file (no quoted newline; `il2_registry.extract_reader.parallel_read_is_safe`, measured once
  per file by the extract check): the staging macros then read it in parallel
  (macros/registry_reader.sql).
- `il2_publish(args_json)` publishes the finished build atomically (on-run-end), see
  `il2_registry.publish` and docs/refresh.md.
Before dbt connects, the plugin sets DuckDB's memory cap, spill folder and insertion order
(`il2_registry.duckdb_settings`, docs/performance.md), takes the warehouse's refresh lock (one
refresh of a warehouse at a time), forces the build folder to 0700 and the build file to 0600
(again once DuckDB has created it) and, for a full `dbt build`, deletes the build file and
anything a killed run left, so every published warehouse is built from scratch.
The implementations live in their own modules; this file only wires them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

# Build-folder locks held by this process, by build file: taken once, released at exit.
_BUILD_LOCKS: dict[Path, IO[str]] = {}


def _extract_check(extract_dir: str) -> str:
    from il2_registry.extract_check import hook_result

    return hook_result(extract_dir)


def _contract_table(table_name: str) -> str:
    from il2_registry.contract import spec_table_json

    return spec_table_json(table_name)


def _csv_parallel_safe(path: str) -> bool:
    from il2_registry.extract_reader import parallel_read_is_safe

    return parallel_read_is_safe(Path(path))


def _publish(args_json: str) -> str:
    from il2_registry.publish import publish_sql_entry

    return publish_sql_entry(args_json)


def _invocation() -> tuple[str, dict[str, Any]]:
    """The dbt command being run and its selection options (as in `invocation_args_dict`)."""
    from dbt.flags import get_flags

    flags = get_flags()
    options = ("select", "exclude", "selector", "resource_types", "exclude_resource_types", "inline", "empty")
    return str(getattr(flags, "WHICH", "") or ""), {o: getattr(flags, o.upper(), None) for o in options}


def _prepare_build_file(path: str) -> None:
    from il2_registry.publish import (
        acquire_build_lock,
        is_full_build_invocation,
        published_path_for,
        reset_build_folder,
    )

    build = Path(path).absolute()
    published_path_for(build)  # refuses a profile that points at the published warehouse
    if build in _BUILD_LOCKS:  # the connection is being reopened within the same run
        return
    _BUILD_LOCKS[build] = acquire_build_lock(build)
    if is_full_build_invocation(*_invocation()):
        reset_build_folder(build)


def _add_duckdb_settings(build: Path, config: dict[str, Any]) -> None:
    """Memory cap, spill folder and insertion order (il2_registry.duckdb_settings); a value
    already in the connection config wins."""
    import os

    from il2_registry.duckdb_settings import build_connection_settings, physical_memory_bytes

    for key, value in build_connection_settings(build, physical_memory_bytes(), os.environ).items():
        config.setdefault(key, value)


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.plugin_config = plugin_config

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # Runs before DuckDB opens the file. It also creates the folders (a fresh clone has no
        # warehouse/), which DuckDB does not.
        if creds.path and creds.path != ":memory:":
            _prepare_build_file(creds.path)
            _add_duckdb_settings(Path(creds.path).absolute(), config)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # DuckDB has created the build file (with the umask's mode): owner only, every build.
        from il2_registry.publish import secure_build_folder

        for build in _BUILD_LOCKS:
            secure_build_folder(build)
        conn.create_function("il2_extract_check", _extract_check, ["VARCHAR"], "VARCHAR", side_effects=True)
        conn.create_function("il2_contract_table", _contract_table, ["VARCHAR"], "VARCHAR")
        conn.create_function(
            "il2_csv_parallel_safe", _csv_parallel_safe, ["VARCHAR"], "BOOLEAN", side_effects=True
        )
        conn.create_function("il2_publish", _publish, ["VARCHAR"], "VARCHAR", side_effects=True)
