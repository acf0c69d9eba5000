"""The Python API for analysts (docs/python_api.md): `il2_registry.connect()` and `il2_registry.km()`.

Imported lazily by `import il2_registry` (duckdb, pandas and the survival code load on first
use), so importing the package stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from il2_registry.paths import resolve_warehouse
from il2_registry.survival.analysis import SurvivalAnalysis, analyse


def connect(warehouse: str | Path | None = None, *, lock: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the published warehouse (the one `il2reg sql` opens:
    $IL2_WAREHOUSE, else warehouse/il2_registry.duckdb of the checkout containing the current
    folder), to `warehouse`, or with `lock` to an archived data lock beside it."""
    path = resolve_warehouse(Path(warehouse) if warehouse is not None else None, lock)
    if not path.is_file():
        raise FileNotFoundError(
            f"no warehouse at {path}: build it with `make run` (or `dbt build` from the project "
            "root), or pass warehouse=/path/to/file.duckdb"
        )
    return duckdb.connect(str(path), read_only=True)


def km(
    data_or_sql: pd.DataFrame | str,
    *,
    time: str,
    event: str,
    group: str | None = None,
    conf_type: str = "log-log",
    times: Sequence[float] | None = None,
    warehouse: str | Path | None = None,
    lock: str | None = None,
) -> SurvivalAnalysis:
    """Kaplan-Meier per group (median and Brookmeyer-Crowley CI; the curve with its band),
    survival at `times`, and with `group` the log-rank test and Cox hazard ratios against the
    first group. `data_or_sql`: a DataFrame, or SQL run on `connect(warehouse, lock=lock)`.
    Returns DataFrames: `.summary`, `.curve`, `.at_times`, `.logrank`, `.cox`."""
    if isinstance(data_or_sql, str):
        with connect(warehouse, lock=lock) as con:
            frame = con.sql(data_or_sql).df()
    else:
        frame = data_or_sql
    return analyse(frame, time, event, group, conf_type, times, cox=group is not None)
