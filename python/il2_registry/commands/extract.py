"""`il2reg extract`: check an extract before a build, write its manifest, render the contract page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from il2_registry.contract import load_contract
from il2_registry.contract_page import render_contract_page
from il2_registry.extract_check import CheckReport, check_extract
from il2_registry.manifest import ManifestError, write_manifest

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


def summary_lines(report: CheckReport) -> list[str]:
    """The report for a person: problems first (stopping ones marked), then files and sites."""
    lines = [f"extract {report.extract_dir}"]
    stopping = [p for p in report.problems if p.stops_build]
    reported = [p for p in report.problems if not p.stops_build]
    for title, problems in (("stops the build", stopping), ("the build rejects or nulls", reported)):
        if problems:
            lines.append(f"{len(problems)} problem(s): {title}")
            lines += [f"  - {problem.message()}" for problem in problems]
    lines.append("files:")
    for name, facts in report.files.items():
        if not facts.get("present"):
            lines.append(f"  {name}: missing")
            continue
        extra = f", extra columns {', '.join(facts['extra_columns'])}" if facts.get("extra_columns") else ""
        rows = facts.get("rows", "?")
        lines.append(f"  {name}: {rows} rows (manifest {facts.get('manifest_rows', '-')}){extra}")
    if report.sites:
        lines.append("date styles by site (ISO / slash: month-first, day-first, ambiguous):")
        for site_id, site in sorted(report.sites.items()):
            lines.append(
                f"  {site_id}: {site['style']} ({site['iso']} / {site['month_first']}, {site['day_first']},"
                f" {site['ambiguous']})"
            )
    lines.append("ok: a build would start" if report.ok else "NOT OK: a build would stop")
    return lines


@app.command("check")
def check(
    extract_dir: Annotated[Path, typer.Argument(help="The extract folder.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object {ok, problems, files, sites}.")
    ] = False,
) -> None:
    """The whole pre-build verification, without dbt. Exit 0 when a build would start, 1 otherwise."""
    report = check_extract(extract_dir.expanduser().resolve())
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        typer.echo("\n".join(summary_lines(report)))
    raise typer.Exit(0 if report.ok else 1)


@app.command("manifest")
def manifest(
    extract_dir: Annotated[Path, typer.Argument(help="The extract folder.")],
    extract_id: Annotated[
        str, typer.Option("--extract-id", help="Identifier of the extract, e.g. 2018-03-31-a.")
    ],
    cutoff: Annotated[str, typer.Option("--cutoff", help="The data cut-off date, YYYY-MM-DD.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing manifest.json.")] = False,
) -> None:
    """Write manifest.json (records as the warehouse counts them, SHA-256, contract version)."""
    try:
        target = write_manifest(extract_dir.expanduser().resolve(), extract_id, cutoff, force=force)
    except ManifestError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {target}")


@app.command("contract-page")
def contract_page(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the page here (default: print it).")
    ] = None,
) -> None:
    """The contract's files and columns as Markdown, rendered from the one spec."""
    page = render_contract_page(load_contract())
    if out is None:
        typer.echo(page, nl=False)
    else:
        out.write_text(page, encoding="utf-8")
        typer.echo(f"wrote {out}")
