"""`il2reg generate`: write a synthetic registry extract (and its truth folder beside it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from il2_registry.generator.api import generate_extract, stderr_progress


def generate(
    out: Annotated[Path, typer.Option("--out", help="Extract folder to write (truth goes to <out>_truth).")],
    profile: Annotated[
        str, typer.Option("--profile", help="paper (the 1179 published patients) or scale.")
    ] = "paper",
    patients: Annotated[
        int | None, typer.Option("--patients", help="Number of patients (scale profile).")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: same arguments, identical files.")
    ] = 20180331,
    messy: Annotated[float, typer.Option("--messy", help="Rate of extra bad rows per file (0-0.5).")] = 0.0,
    cutoff: Annotated[
        str | None,
        typer.Option(
            "--cutoff",
            help="Data cut-off YYYY-MM-DD: the same registry at a later data lock [default: 2018-03-31].",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="With --cutoff: the earlier lock whose changes the truth folder lists [2018-03-31].",
        ),
    ] = None,
) -> None:
    """Write a synthetic HD IL-2 registry extract exactly as the data dictionary describes."""
    if profile not in ("paper", "scale"):
        raise typer.BadParameter("must be paper or scale", param_hint="--profile")
    if profile == "paper" and patients not in (None, 1179):
        raise typer.BadParameter(
            "the paper profile has 1179 patients; use --profile scale", param_hint="--patients"
        )
    if patients is not None and patients < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--patients")
    if not 0.0 <= messy <= 0.5:
        raise typer.BadParameter("must be between 0 and 0.5", param_hint="--messy")
    try:
        manifest = generate_extract(
            out,
            profile=profile,
            seed=seed,
            patients=patients,
            messy=messy,
            progress=stderr_progress,
            cutoff=_iso_date(cutoff, "--cutoff"),
            since=_iso_date(since, "--since"),
        )
    except ValueError as error:
        typer.echo(f"il2reg generate: {error}", err=True)
        raise typer.Exit(2) from error
    except FileExistsError as error:
        typer.echo(f"il2reg generate: {error}", err=True)
        raise typer.Exit(2) from error
    total = sum(entry["rows"] for entry in manifest["files"].values())
    typer.echo(f"wrote {out} ({manifest['extract_id']}, {total:,} rows in {len(manifest['files'])} files)")


def _iso_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD", param_hint=option) from error
