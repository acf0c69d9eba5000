"""dbt-duckdb plugin: gives the build's DuckDB connection the project's Python edge functions.

Registered in profiles.yml. The functions are SQL-callable so that dbt hooks can use them:
- `il2_verify_extract(extract_dir, contract_json)` checks an extract against its manifest and
  the contract before anything is built (on-run-start); it raises with a message naming the
  file and the problem, which stops the run.
- `il2_publish(...)` publishes the finished build atomically (on-run-end), see
  `il2_registry.publish`.
The implementations live in their own modules; this file only wires them in.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection


def _verify_extract(extract_dir: str, contract_json: str) -> str:
    from il2_registry.extract_check import verify_extract_sql_entry

    return verify_extract_sql_entry(extract_dir, contract_json)


def _publish(args_json: str) -> str:
    from il2_registry.publish import publish_sql_entry

    return publish_sql_entry(args_json)


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.plugin_config = plugin_config

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # DuckDB creates the database file but not its folder (warehouse/ on a fresh clone).
        from pathlib import Path

        if creds.path and creds.path != ":memory:":
            Path(creds.path).parent.mkdir(parents=True, exist_ok=True)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function(
            "il2_verify_extract",
            _verify_extract,
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
            side_effects=True,
        )
        conn.create_function("il2_publish", _publish, ["VARCHAR"], "VARCHAR", side_effects=True)
