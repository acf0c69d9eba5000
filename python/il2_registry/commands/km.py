"""`il2reg km` (not implemented yet)."""

from __future__ import annotations

import typer


def km() -> None:
    """Not implemented yet."""
    typer.echo("il2reg km: not implemented yet", err=True)
    raise typer.Exit(2)
