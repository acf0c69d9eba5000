"""What the commands share: the --warehouse option and the one warehouse resolution."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from il2_registry.paths import resolve_warehouse

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Warehouse file (default: $IL2_WAREHOUSE, else warehouse/il2_registry.duckdb "
        "under the project checkout containing the current folder).",
    ),
]


def existing_warehouse(command: str, warehouse: Path | None = None, lock: str | None = None) -> Path:
    """The warehouse a command reads (paths.resolve_warehouse), or exit 1 saying what is missing."""
    path = resolve_warehouse(warehouse, lock)
    if not path.is_file():
        what = f"no archived lock {lock!r} at" if lock else "no published warehouse at"
        typer.echo(
            f"il2reg {command}: {what} {path}: build it first "
            "(`make run`, or `dbt build` from the project root), or name one with --warehouse",
            err=True,
        )
        raise typer.Exit(1)
    return path
