"""`il2reg km`: Kaplan-Meier medians, survival at fixed times, log-rank and Cox on any query or CSV.

Reads the published warehouse read-only (`--sql`) or a CSV file (`--csv`); prints, per group,
n, events, the median with its 95% Brookmeyer-Crowley interval, and the log-rank test when a
group column is given; `--times` adds survival and its CI at those times (R's
summary(fit, times = )), `--at-risk` the numbers at risk, `--cox` hazard ratios against the
first group. `--json` prints one JSON object instead (shape in docs/survival.md). Medians and
limits follow R survfit's conventions; "NA" (null in JSON) = not reached or not defined, as R.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from il2_registry.commands.common import existing_warehouse
from il2_registry.commands.options import LockOption, WarehouseOption
from il2_registry.survival.analysis import SurvivalAnalysis, analyse, as_json
from il2_registry.survival.at_times import parse_times
from il2_registry.survival.confidence import CONF_TYPES
from il2_registry.survival.frame import SurvivalDataError


def _fail(message: str) -> None:
    typer.echo(f"il2reg km: {message}", err=True)
    raise typer.Exit(2)


def _read_sql(query: str, warehouse: Path) -> pd.DataFrame:
    import duckdb

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


def _fmt(value: float | None, digits: int = 2) -> str:
    return "NA" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def _label(group: object) -> str:
    return "all" if group is None else str(group)


def _print_rows(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            ).rstrip()
        )


def _print_table(result: SurvivalAnalysis, time_col: str, *, show_times: bool, at_risk: bool) -> None:
    typer.echo(
        f"Kaplan-Meier on {time_col!r}; 95% CI, {result.conf_type} transform "
        "(NA = not reached or not defined)"
    )
    rows = [("group", "n", "events", "median", "95% CI")]
    for g in result.summary.itertuples(index=False):
        ci = f"({_fmt(g.median_ci_lower)}, {_fmt(g.median_ci_upper)})"
        rows.append((_label(g.group), str(g.n), str(g.events), _fmt(g.median), ci))
    _print_rows(rows)
    if show_times:
        typer.echo("")
        typer.echo("survival at fixed times (n.risk at the time, n.event since the previous one):")
        rows = [("group", "time", "n.risk", "n.event", "survival", "std.err", "lower 95%", "upper 95%")]
        for r in result.at_times.itertuples(index=False):
            rows.append(
                (
                    _label(r.group),
                    f"{r.time:g}",
                    str(r.n_at_risk),
                    str(r.n_events),
                    _fmt(r.survival, 4),
                    _fmt(r.std_err, 4),
                    _fmt(r.ci_lower, 4),
                    _fmt(r.ci_upper, 4),
                )
            )
        _print_rows(rows)
    if at_risk:
        typer.echo("")
        typer.echo("number at risk:")
        grid = result.at_times["time"].drop_duplicates()
        rows = [("time", *(f"{t:g}" for t in grid))]
        for group, part in result.at_times.groupby("group", sort=False, dropna=False):
            rows.append((_label(group), *(str(n) for n in part["n_at_risk"])))
        _print_rows(rows)
    if not result.logrank.empty:
        test = result.logrank.iloc[0]
        typer.echo("")
        typer.echo(
            f"log-rank: chi-square {test['chi_square']:.3f} on {int(test['df'])} df, "
            f"p = {test['p_value']:.4g}"
        )
    if not result.cox.empty:
        typer.echo("Cox (Efron ties), hazard ratio against the first group, 95% Wald CI:")
        for r in result.cox.itertuples(index=False):
            if r.note:
                typer.echo(f"  {r.group} vs {r.reference}: NA ({r.note})")
            else:
                typer.echo(
                    f"  {r.group} vs {r.reference}: HR {r.hazard_ratio:.4f} "
                    f"({r.hr_ci_lower:.4f}, {r.hr_ci_upper:.4f}); p = {r.p_value:.4g}"
                )


def default_at_risk_times(max_time: float, columns: int = 8) -> list[float]:
    """0 and round steps (1, 2, 2.5 or 5 x 10^k) up to the last time, at most `columns` + 1."""
    if max_time <= 0:
        return [0.0]
    raw = max_time / columns
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(i * step, 10) for i in range(int(max_time // step) + 1)]


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
    times: Annotated[
        str | None,
        typer.Option("--times", help="Survival and its CI at these times, e.g. 6,12,24 (as R's summary)."),
    ] = None,
    at_risk: Annotated[
        bool, typer.Option("--at-risk", help="Numbers at risk per group (at --times, else a round grid).")
    ] = False,
    cox: Annotated[
        bool, typer.Option("--cox", help="Cox hazard ratio (Efron ties) of each group against the first.")
    ] = False,
    as_json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
    warehouse: WarehouseOption = None,
    lock: LockOption = None,
) -> None:
    """Kaplan-Meier median (with 95% CI) per group, survival at fixed times, the log-rank test
    and Cox hazard ratios, from SQL or a CSV file.

    Example: il2reg km --sql "select * from marts.survival where endpoint = 'OS' and disease = 'mM'"
    --time time_months --event event --group cohort --times 6,12,24 --at-risk --cox
    """
    if (sql is None) == (csv is None):
        _fail("give exactly one of --sql or --csv")
    if not time or not event:
        _fail("--time and --event are required (column names)")
    if conf_type not in CONF_TYPES:
        _fail(f"--conf-type must be one of {', '.join(CONF_TYPES)}; got {conf_type!r}")
    if cox and group is None:
        _fail("--cox compares groups: give --group")
    try:
        fixed_times = parse_times(times) if times is not None else None
    except ValueError as error:
        _fail(f"--times: {error}")
    if sql is not None:
        frame = _read_sql(sql, existing_warehouse("km", warehouse, lock))
    else:
        frame = _read_csv(csv)  # type: ignore[arg-type]
    if frame.empty:
        typer.echo("il2reg km: the selection has no rows; nothing to estimate", err=True)
        raise typer.Exit(1)
    if at_risk and fixed_times is None and time in frame.columns:
        latest = pd.to_numeric(frame[time], errors="coerce").max()
        fixed_times = default_at_risk_times(float(latest) if pd.notna(latest) else 0.0)
    try:
        result = analyse(frame, time, event, group, conf_type, fixed_times, cox=cox)
    except SurvivalDataError as error:
        _fail(str(error))
    if as_json_output:
        payload = as_json(result, with_times=times is not None or at_risk, with_cox=cox)
        typer.echo(json.dumps(payload))
    else:
        _print_table(result, time, show_times=times is not None, at_risk=at_risk)
