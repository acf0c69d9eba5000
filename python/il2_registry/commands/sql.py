"""`il2reg sql`: open the published warehouse read-only for ad hoc SQL.

The DuckDB CLI shipped by the `duckdb-cli` package (pinned to the same version as the `duckdb`
library that builds the warehouse), or Harlequin (`--harlequin`), which lives in its own
environment `.venv-harlequin` because its click pin conflicts with dbt's. Read-only, so it
never blocks a refresh: `dbt build` writes a separate build file and swaps it in atomically
(docs/refresh.md); an open session keeps the snapshot it opened.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from il2_registry.commands.options import LockOption
from il2_registry.paths import project_root, resolve_warehouse

HARLEQUIN_VENV = ".venv-harlequin"


def duckdb_cli_binary() -> Path | None:
    """The CLI binary bundled in the `duckdb-cli` package of this environment, if installed."""
    try:
        import duckdb_cli
    except ImportError:
        return None
    binary = Path(duckdb_cli.__file__).parent / ("duckdb.exe" if sys.platform == "win32" else "duckdb")
    return binary if binary.is_file() else None


def parse_version(text: str) -> str | None:
    """'v1.5.6 (Variegata) 069cc9f9b5' -> '1.5.6'."""
    match = re.search(r"v?(\d+\.\d+\.\d+)", text)
    return match.group(1) if match else None


def cli_version(binary: Path) -> str | None:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False)
    return parse_version(result.stdout)


def library_version() -> str:
    import duckdb

    return duckdb.__version__


def harlequin_duckdb_version(venv: Path) -> str | None:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return parse_version(result.stdout) if result.returncode == 0 else None


def _fail(message: str) -> None:
    typer.echo(f"il2reg sql: {message}", err=True)
    raise typer.Exit(1)


def _warn(message: str) -> None:
    typer.echo(f"il2reg sql: warning: {message}", err=True)


def sql(
    command: Annotated[
        str | None,
        typer.Option("-c", "--command", help="Run this SQL, print the result and exit (DuckDB CLI only)."),
    ] = None,
    harlequin: Annotated[
        bool, typer.Option("--harlequin", help=f"Open Harlequin (a terminal SQL IDE) from {HARLEQUIN_VENV}.")
    ] = False,
    warehouse: Annotated[
        Path | None,
        typer.Option(help="Warehouse file (default: $IL2_WAREHOUSE, else warehouse/il2_registry.duckdb)."),
    ] = None,
    lock: LockOption = None,
) -> None:
    """Open the published warehouse read-only: DuckDB CLI, or Harlequin with --harlequin."""
    path = resolve_warehouse(warehouse, lock)
    if not path.is_file():
        _fail(
            f"no published warehouse at {path}: build it first "
            "(`make run`, or `dbt build` from the project root)"
        )
    expected = library_version()
    if harlequin:
        if command is not None:
            _fail("-c runs in the DuckDB CLI; Harlequin is interactive (drop --harlequin or -c)")
        venv = project_root() / HARLEQUIN_VENV
        executable = venv / "bin" / "harlequin"
        if not executable.is_file():
            _fail(
                f"Harlequin is not installed in {venv}. Create it once with `make {HARLEQUIN_VENV}` "
                "(its own venv from requirements-harlequin.txt; Harlequin's click pin conflicts with dbt's)."
            )
        bundled = harlequin_duckdb_version(venv)
        if bundled != expected:
            _warn(
                f"Harlequin's DuckDB is {bundled or 'unknown'}, the warehouse is written by "
                f"DuckDB {expected}; "
                f"recreate {venv} (`rm -rf {HARLEQUIN_VENV} && make {HARLEQUIN_VENV}`)"
            )
        raise typer.Exit(subprocess.call([str(executable), "--adapter", "duckdb", "--read-only", str(path)]))
    binary = duckdb_cli_binary()
    if binary is None:
        _fail(
            "the DuckDB CLI is not installed in this environment: "
            "`pip install -r requirements.txt` (duckdb-cli)"
        )
    found = cli_version(binary)
    if found != expected:
        _warn(
            f"the DuckDB CLI at {binary} is version {found or 'unknown'}, but the warehouse is written by "
            f"DuckDB {expected}: it may not open the file. Pin duckdb-cli=={expected} in requirements.txt."
        )
    arguments = [str(binary), "-readonly", str(path)]
    if command is not None:
        arguments += ["-c", command]
    raise typer.Exit(subprocess.call(arguments))
