"""`il2reg generate` (not implemented yet)."""

from __future__ import annotations

import typer


def generate() -> None:
    """Not implemented yet."""
    typer.echo("il2reg generate: not implemented yet", err=True)
    raise typer.Exit(2)
