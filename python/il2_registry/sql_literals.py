"""SQL literals for the DuckDB statements the package writes itself (publish, locks, extract check)."""

from __future__ import annotations


def sql_string(text: str) -> str:
    """A SQL string literal holding exactly `text`."""
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(identifier: str) -> str:
    """A double-quoted SQL identifier naming exactly `identifier`."""
    return '"' + identifier.replace('"', '""') + '"'
