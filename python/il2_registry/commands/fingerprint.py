"""`il2reg fingerprint`: a SHA-256 over each published table's sorted rows, read-only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from il2_registry.commands.common import existing_warehouse
from il2_registry.commands.options import LockOption, WarehouseOption


def fingerprint(
    schemas: Annotated[
        str, typer.Option("--schemas", help="Comma-separated schemas to fingerprint.")
    ] = "marts,core,audit",
    target: Annotated[
        str,
        typer.Option("--target", help="duckdb (the published file) or spark (the published Spark views)."),
    ] = "duckdb",
    warehouse: WarehouseOption = None,
    lock: LockOption = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--compare", help="A saved `--json` output: print the tables that differ, exit 1 if any."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object {table: {sha256, rows}}.")
    ] = False,
) -> None:
    """Print, per table, a SHA-256 over its sorted rows in a canonical text rendering (dates ISO,
    timestamps to the second, doubles to 12 significant digits), so that two builds can be compared."""
    from il2_registry.fingerprint import compare, duckdb_fingerprints, spark_fingerprints

    names = [s.strip() for s in schemas.split(",") if s.strip()]
    if target == "spark":
        # The Spark warehouse of .venv-spark ($IL2_SPARK_WAREHOUSE, docs/spark.md).
        prints = spark_fingerprints(names)
    elif target == "duckdb":
        prints = duckdb_fingerprints(str(existing_warehouse("fingerprint", warehouse, lock)), names)
    else:
        raise typer.BadParameter(f"--target must be duckdb or spark, not {target}")
    if against is not None:
        differences = compare(json.loads(against.read_text()), prints)
        for line in differences:
            typer.echo(line)
        typer.echo(f"{len(prints)} tables, {len(differences)} differ from {against}", err=True)
        raise typer.Exit(1 if differences else 0)
    if as_json:
        typer.echo(json.dumps(prints, indent=2, sort_keys=True))
        return
    for name, entry in prints.items():
        typer.echo(f"{entry['sha256']}  {entry['rows']:>10}  {name}")
