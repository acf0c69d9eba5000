"""The one warehouse resolution of the commands (their options: commands/options.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from il2_registry.paths import resolve_warehouse


def existing_warehouse(command: str, warehouse: Path | None = None, lock: str | None = None) -> Path:
    """The warehouse a command reads (paths.resolve_warehouse), or exit 1 saying what is missing."""
    path = resolve_warehouse(warehouse, lock)
    if not path.is_file():
        if lock:
            problem = f"no archived lock {lock!r} at {path}; `il2reg locks` lists the archive"
        else:
            problem = (
                f"no published warehouse at {path}: build it first (`make run`, or `dbt build` "
                "from the project root), or name one with --warehouse"
            )
        typer.echo(f"il2reg {command}: {problem}", err=True)
        raise typer.Exit(1)
    return path
