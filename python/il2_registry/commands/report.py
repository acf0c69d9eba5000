"""`il2reg report`: the paper's analysis from the published warehouse, published vs reproduced."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from il2_registry.commands.common import existing_warehouse
from il2_registry.commands.options import LockOption, WarehouseOption
from il2_registry.paths import project_root


def report(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for report.html, the figures (PNG, SVG) and a CSV [default: reports/]"
        ),
    ] = None,
    warehouse: WarehouseOption = None,
    lock: LockOption = None,
    full_range: Annotated[
        bool,
        typer.Option(
            "--full-range",
            help="OS/PFS x-axis over every patient's follow-up [default: to the longest follow-up of "
            "the IL-2 after PD-1/PD-L1 cohort, the comparison the paper makes]",
        ),
    ] = False,
) -> None:
    """Render the registry paper's tables and figures from the warehouse, with every published
    figure compared against this extract, as one self-contained HTML page."""
    from il2_registry.report.build import ReportInputError, build_report

    out_dir = out if out is not None else project_root() / "reports"
    source = existing_warehouse("report", warehouse, lock)
    started = time.perf_counter()

    def progress(message: str) -> None:
        typer.echo(f"report [{time.perf_counter() - started:6.1f}s] {message}", err=True)

    try:
        result = build_report(source, out_dir, progress, full_range=full_range)
    except ReportInputError as error:
        typer.echo(f"il2reg report: error: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(
        f"report: wrote {result.page} in {result.seconds:.1f}s; "
        f"{result.matched} of {result.total} published figures reproduced",
        err=True,
    )
    typer.echo(str(result.page))
