"""`il2reg sql` (not implemented yet)."""

from __future__ import annotations

import typer


def sql() -> None:
    """Not implemented yet."""
    typer.echo("il2reg sql: not implemented yet", err=True)
    raise typer.Exit(2)
