"""`il2reg km`: Kaplan-Meier medians and the log-rank test on any query or CSV file.

Reads the published warehouse read-only (`--sql`) or a CSV file (`--csv`); prints, per group,
n, events, the median with its 95% Brookmeyer-Crowley interval, and the log-rank test when a
group column is given. `--json` prints one JSON object instead (shape in docs/survival.md).
Medians and limits follow R survfit's conventions; "NR" (null in JSON) = not reached.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from il2_registry.commands.options import LockOption
from il2_registry.paths import resolve_warehouse
from il2_registry.survival.analysis import analyse
from il2_registry.survival.confidence import CONF_TYPES
from il2_registry.survival.frame import SurvivalDataError


def _fail(message: str) -> None:
    typer.echo(f"il2reg km: {message}", err=True)
    raise typer.Exit(2)


def _read_sql(query: str, warehouse: Path) -> pd.DataFrame:
    import duckdb

    if not warehouse.is_file():
        _fail(f"no warehouse at {warehouse} (build it with `make run`, or set IL2_WAREHOUSE)")
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return connection.sql(query).df()
    except duckdb.Error as error:
        _fail(f"the query failed: {error}")
    raise AssertionError("unreachable")


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        _fail(f"no such file: {path}")
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        _fail(f"cannot read {path} as CSV: {error}")
    raise AssertionError("unreachable")


def _fmt(value: float | None) -> str:
    return "NR" if value is None else f"{value:.2f}"


def _print_table(result: dict[str, Any], time_col: str) -> None:
    typer.echo(f"Kaplan-Meier on {time_col!r}; 95% CI, {result['conf_type']} transform (NR = not reached)")
    rows = [("group", "n", "events", "median", "95% CI")]
    for g in result["groups"]:
        label = "all" if g["group"] is None else str(g["group"])
        ci = f"({_fmt(g['median_ci_lower'])}, {_fmt(g['median_ci_upper'])})"
        rows.append((label, str(g["n"]), str(g["events"]), _fmt(g["median"]), ci))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        typer.echo(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            )
        )
    test = result["logrank"]
    if test is not None:
        typer.echo(
            f"log-rank: chi-square {test['chi_square']:.3f} on {test['df']} df, p = {test['p_value']:.4g}"
        )


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def km(
    sql: Annotated[
        str | None, typer.Option("--sql", help="A query on the published warehouse (read-only).")
    ] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="A CSV file with a header row.")] = None,
    time: Annotated[
        str, typer.Option("--time", help="Column with the time to event or censoring (>= 0).")
    ] = "",
    event: Annotated[
        str, typer.Option("--event", help="Column with the event flag: 1 event, 0 censored.")
    ] = "",
    group: Annotated[
        str | None, typer.Option("--group", help="Column to compare groups by (adds the log-rank test).")
    ] = None,
    conf_type: Annotated[
        str, typer.Option("--conf-type", help="CI transform: log-log (SAS default), log (R default), plain.")
    ] = "log-log",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
    lock: LockOption = None,
) -> None:
    """Kaplan-Meier median (with 95% CI) per group and the log-rank test, from SQL or a CSV file.

    Example: il2reg km --sql "select * from marts.survival where endpoint = 'OS' and disease = 'mM'"
    --time time_months --event event --group cohort
    """
    if (sql is None) == (csv is None):
        _fail("give exactly one of --sql or --csv")
    if not time or not event:
        _fail("--time and --event are required (column names)")
    if conf_type not in CONF_TYPES:
        _fail(f"--conf-type must be one of {', '.join(CONF_TYPES)}; got {conf_type!r}")
    frame = _read_sql(sql, resolve_warehouse(None, lock)) if sql is not None else _read_csv(csv)  # type: ignore[arg-type]
    try:
        result = analyse(frame, time, event, group, conf_type)
    except SurvivalDataError as error:
        _fail(str(error))
    if as_json:
        typer.echo(json.dumps(_json_safe(result)))
    else:
        _print_table(result, time)
