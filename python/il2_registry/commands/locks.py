"""`il2reg locks` and `il2reg diff`: the archive of data locks, and what changed between two."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from il2_registry.paths import lock_path, resolve_warehouse

WarehouseOption = Annotated[
    Path | None,
    typer.Option(help="Published warehouse whose locks/ to read (default: $IL2_WAREHOUSE, else warehouse/)."),
]


def _fail(command: str, message: str) -> None:
    typer.echo(f"il2reg {command}: {message}", err=True)
    raise typer.Exit(1)


def locks(
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalogue as JSON.")] = False,
) -> None:
    """List the archived data locks: extract id, cut-off, when and by which version each was built."""
    from il2_registry.locks import list_locks

    published = resolve_warehouse(warehouse)
    rows = list_locks(published)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(f"no locks archived beside {published} yet (every successful `dbt build` archives one)")
        return
    typer.echo(
        f"{'extract_id':<34} {'cut-off':<10}  {'built at (UTC)':<20}  {'version':<8} {'commit':<12} rebuilds"
    )
    for row in rows:
        rebuilds = str(row["rebuilds"])
        if row["last_rebuild_identical"] is not None:
            rebuilds += " (last identical)" if row["last_rebuild_identical"] else " (last DIFFERED)"
        commit = (row["git_commit"] or "-")[:12]
        missing = "" if row["present"] else "  [file missing]"
        typer.echo(
            f"{row['extract_id']:<34} {row['data_cutoff_date'] or '-':<10}  {row['built_at'] or '-':<20}  "
            f"{row['project_version'] or '-':<8} {commit:<12} {rebuilds}{missing}"
        )


def _print_diff(result: dict[str, Any]) -> None:
    from il2_registry.diff import summarise

    summary = summarise(result)
    typer.echo(f"from {result['from']} to {result['to']}")
    typer.echo(
        f"patients: {summary['patients_added']} added, {summary['patients_removed']} removed, "
        f"{summary['patients_changed']} with a changed derivation"
    )
    for field, count in sorted(summary["changes_per_field"].items()):
        typer.echo(f"  {field:<34} {count:>6} patients")
    typer.echo(f"figures moved: {len(summary['figures_moved'])} of {len(result['figures'])}")
    for figure in summary["figures_moved"]:
        typer.echo(f"  {figure['figure']}: {figure['from']} -> {figure['to']}")
    typer.echo("rejected rows (file, reason: from -> to):")
    for row in summary["rejected_changed"] or [{"file": "-", "reason": "no change", "from": "", "to": ""}]:
        typer.echo(f"  {row['file']}, {row['reason']}: {row['from']} -> {row['to']}")
    typer.echo("findings (check: new, resolved):")
    for row in summary["findings_changed"] or [{"check": "no change", "new": 0, "resolved": 0}]:
        typer.echo(f"  {row['check']}: +{row['new']}, -{row['resolved']}")


def diff(
    lock_a: Annotated[str, typer.Argument(help="The earlier lock's extract id (or a .duckdb file).")],
    lock_b: Annotated[str, typer.Argument(help="The later lock's extract id (or a .duckdb file).")],
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (docs/locks.md).")] = False,
) -> None:
    """What changed between two data locks: patients, derivations, figures, rejects, findings."""
    from il2_registry.diff import diff_locks, read_lock

    published = resolve_warehouse(warehouse)
    paths = []
    for name in (lock_a, lock_b):
        path = Path(name) if name.endswith(".duckdb") else lock_path(name, published)
        if not path.is_file():
            _fail("diff", f"no lock {name!r} ({path}); `il2reg locks` lists the archive")
        paths.append(path)
    result = diff_locks(read_lock(paths[0]), read_lock(paths[1]))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_diff(result)
