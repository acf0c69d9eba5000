"""Table fingerprints: a SHA-256 over each published table's sorted rows, in one canonical text.

Two warehouses hold the same data exactly when every fingerprint agrees, whatever engine wrote
them and in whatever order their rows were stored. Each value is rendered engine-neutrally:
dates ISO (2018-03-31), timestamps ISO to the second (2018-03-31T14:05:00), floating-point and
decimal numbers to 12 significant digits (so the last bits of a double do not count), integers
in full, booleans true/false and null as one token. A row is the JSON list of its rendered values;
the fingerprint hashes the column names, then the rendered rows in sorted order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

DEFAULT_SCHEMAS = ("marts", "core", "audit")
NULL_TOKEN = None  # rendered as JSON null


def canonical_value(value: Any) -> str | None:
    """The engine-neutral text of one value (None for null)."""
    if value is None:
        return NULL_TOKEN
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | decimal.Decimal):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "Infinity" if number > 0 else "-Infinity"
        if number == 0:
            return "0"
        return format(number, ".12g")
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat(timespec="seconds")
    if isinstance(value, list | tuple):
        return json.dumps([canonical_value(v) for v in value], ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps({str(k): canonical_value(v) for k, v in sorted(value.items())}, ensure_ascii=False)
    return str(value)


def canonical_row(row: Sequence[Any]) -> str:
    return json.dumps([canonical_value(v) for v in row], ensure_ascii=False, separators=(",", ":"))


def fingerprint_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    """SHA-256 (hex) of a table given its column names and rows, and its row count."""
    rendered = sorted(canonical_row(row) for row in rows)
    digest = hashlib.sha256()
    digest.update(json.dumps(list(columns)).encode())
    for line in rendered:
        digest.update(b"\n")
        digest.update(line.encode())
    return digest.hexdigest(), len(rendered)


def duckdb_fingerprints(path: str, schemas: Sequence[str] = DEFAULT_SCHEMAS) -> dict[str, dict[str, Any]]:
    """Fingerprint of every table and view in the given schemas of a DuckDB file (read-only)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        placeholders = ", ".join("?" for _ in schemas)
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = current_database() and table_schema in ({placeholders}) "
            "order by 1, 2",
            list(schemas),
        ).fetchall()
        result: dict[str, dict[str, Any]] = {}
        for schema, table in relations:
            relation = f'"{schema}"."{table}"'
            cursor = con.execute(f"select * from {relation}")
            columns = [d[0] for d in cursor.description]
            sha, count = fingerprint_rows(columns, iter(cursor.fetchall()))
            result[f"{schema}.{table}"] = {"sha256": sha, "rows": count}
        return result
    finally:
        con.close()


def spark_fingerprints(
    schemas: Sequence[str] = DEFAULT_SCHEMAS, spark: Any = None
) -> dict[str, dict[str, Any]]:
    """The same fingerprints of the published Spark warehouse (il2_registry.spark_build): every
    table and view of the given schemas, its rows pulled through the same Python rendering, so
    both engines are compared by one piece of code. Read-only (select only)."""
    if spark is None:
        from il2_registry.spark_build import spark_session

        spark = spark_session()
    result: dict[str, dict[str, Any]] = {}
    existing = {row[0] for row in spark.sql("show databases").collect()}
    for schema in schemas:
        if schema not in existing:
            continue
        tables = sorted(
            row.tableName for row in spark.sql(f"show tables in {schema}").collect() if not row.isTemporary
        )
        for table in tables:
            frame = spark.table(f"{schema}.{table}")
            sha, count = fingerprint_rows(frame.columns, (tuple(row) for row in frame.collect()))
            result[f"{schema}.{table}"] = {"sha256": sha, "rows": count}
    return result


def compare(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """Human-readable differences between two fingerprint sets (empty when identical)."""
    problems = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            problems.append(f"{name}: missing after")
        elif name not in before:
            problems.append(f"{name}: new after")
        elif before[name]["sha256"] != after[name]["sha256"]:
            problems.append(f"{name}: differs (rows {before[name]['rows']} -> {after[name]['rows']})")
    return problems
