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

from il2_registry.commands.common import existing_warehouse
from il2_registry.commands.options import LockOption, WarehouseOption
from il2_registry.paths import project_root

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


def duckdb_arguments(binary: Path, warehouse: Path, passthrough: list[str], *, plain: bool) -> list[str]:
    """The DuckDB CLI command line: read-only, colour off when `plain`, the warehouse, then the
    analyst's own flags and SQL as given. A lone argument naming a .sql file is run as `-f`."""
    arguments = [str(binary), "-readonly"]
    if plain:
        arguments += ["-cmd", ".highlight off"]  # results and errors too (DuckDB 1.5)
    if len(passthrough) == 1 and passthrough[0].endswith(".sql") and Path(passthrough[0]).is_file():
        passthrough = ["-f", passthrough[0]]
    return [*arguments, str(warehouse), *passthrough]


def sql(
    ctx: typer.Context,
    harlequin: Annotated[
        bool, typer.Option("--harlequin", help=f"Open Harlequin (a terminal SQL IDE) from {HARLEQUIN_VENV}.")
    ] = False,
    warehouse: WarehouseOption = None,
    lock: LockOption = None,
) -> None:
    """Open the published warehouse read-only: DuckDB CLI, or Harlequin with --harlequin.

    Every other argument goes to the DuckDB CLI as written: -c "SQL", -csv, -json, -line,
    -markdown, -f file.sql (or just file.sql), -s, -header ... (`duckdb -help`). Colour is off
    when stdout or stderr is not a terminal; the opened file is printed on stderr.
    Example: il2reg sql -csv -c "select disease, cohort, count(*) from marts.cohort group by all"
    """
    passthrough = list(ctx.args)
    path = existing_warehouse("sql", warehouse, lock)
    expected = library_version()
    if harlequin:
        if passthrough:
            _fail(
                f"{' '.join(passthrough)}: DuckDB CLI arguments; Harlequin is interactive "
                "(drop --harlequin or them)"
            )
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
        typer.echo(f"il2reg sql: opening {path} (read-only) in Harlequin", err=True)
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
    typer.echo(f"il2reg sql: {path} (read-only)", err=True)
    plain = not (sys.stdout.isatty() and sys.stderr.isatty())
    raise typer.Exit(subprocess.call(duckdb_arguments(binary, path, passthrough, plain=plain)))
