"""What changed between two data locks (`il2reg diff A B`, docs/locks.md).

`read_lock` reads what a comparison needs from one published (or archived) warehouse;
`diff_locks` compares two of those and returns the one JSON-able object `il2reg diff --json`
prints. Both are plain data in, data out; the command line only opens the files and prints.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

# diff field -> (mart, column); survival fields are read per endpoint from marts.survival.
PATIENT_FIELDS = {
    "cohort": "cohort",
    "day1_date": "day1_date",
    "initial_response": "initial_response",
    "best_overall_response": "best_overall_response",
    "confirmed_best_overall_response": "confirmed_best_overall_response",
}
ENDPOINT_FIELDS = {"OS": "os", "PFS": "pfs", "DOR": "dor"}
FIELDS = (
    *PATIENT_FIELDS,
    *(f"{prefix}_{part}" for prefix in ENDPOINT_FIELDS.values() for part in ("event", "time_days")),
)
# A finding is the same finding in two locks when these agree (row numbers move between exports).
FINDING_KEY = ["check_name", "file", "patient_id", "column_name", "value"]


@dataclass(frozen=True)
class LockData:
    extract_id: str
    patients: pd.DataFrame  # one row per analysed patient, index patient_id, columns FIELDS
    rejected: pd.DataFrame  # file, reason, n
    findings: pd.DataFrame  # FINDING_KEY columns, one row per finding
    figures: dict[str, Any]  # figure name -> reproduced value


def _patients(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        "select c.patient_id, c.cohort, cast(c.day1_date as varchar) as day1_date, "
        "b.initial_response, b.best_overall_response, b.confirmed_best_overall_response "
        "from marts.cohort as c left join marts.best_response as b using (patient_id)"
    ).df()
    survival = con.execute("select patient_id, endpoint, event, time_days from marts.survival").df()
    frame = frame.set_index("patient_id")
    for endpoint, prefix in ENDPOINT_FIELDS.items():
        part = survival[survival["endpoint"] == endpoint].set_index("patient_id")
        frame[f"{prefix}_event"] = part["event"].reindex(frame.index)
        frame[f"{prefix}_time_days"] = part["time_days"].reindex(frame.index)
    return frame[list(FIELDS)]


def _figures(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The paper's figures as the report reproduces them, and every row of marts.km_summary."""
    from il2_registry.report.comparison import compare
    from il2_registry.report.data import load_report_data
    from il2_registry.report.published import load_published
    from il2_registry.report.reproduction import resolver

    figures: dict[str, Any] = {}
    comparison = compare(load_published(), resolver(load_report_data(con)))
    for row in comparison.itertuples(index=False):
        figures[f"{row.section} › {row.figure}"] = row.reproduced
    km = con.execute(
        "select endpoint, disease, cohort, n, n_events, median_months, median_ci_lower, median_ci_upper "
        "from marts.km_summary order by all"
    ).fetchall()
    for endpoint, disease, cohort, *values in km:
        names = ("n", "n_events", "median_months", "median_ci_lower", "median_ci_upper")
        for name, value in zip(names, values, strict=True):
            figures[f"km_summary › {endpoint} › {disease} › {cohort} › {name}"] = value
    return figures


def read_lock(path: Path) -> LockData:
    """What `diff_locks` compares, read from one warehouse file (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        (extract_id,) = con.execute("select extract_id from core.dim_extract").fetchone() or ("?",)
        rejected = con.execute(
            "select file, reason, count(distinct row_number) as n from audit.rejected_rows group by all"
        ).df()
        findings = con.execute(f"select distinct {', '.join(FINDING_KEY)} from audit.findings").df()
        return LockData(str(extract_id), _patients(con), rejected, findings, _figures(con))
    finally:
        con.close()


def plain(value: Any) -> Any:
    """A value in the diff's JSON form: ISO dates, ints for whole numbers, None for null."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else round(value, 6)
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def _counts(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, int]:
    return {tuple(row[:-1]): int(row[-1]) for row in frame[[*keys, "n"]].itertuples(index=False)}


def diff_locks(a: LockData, b: LockData) -> dict[str, Any]:
    """Everything that changed from lock `a` to lock `b`, in the shape `il2reg diff --json` prints."""
    before, after = a.patients, b.patients
    added = sorted(set(after.index) - set(before.index))
    removed = sorted(set(before.index) - set(after.index))
    changes = []
    for patient_id in sorted(set(before.index) & set(after.index)):
        old_row, new_row = before.loc[patient_id], after.loc[patient_id]
        for field in FIELDS:
            old, new = plain(old_row[field]), plain(new_row[field])
            if old != new:
                changes.append({"patient_id": patient_id, "field": field, "from": old, "to": new})

    figures = [
        {"figure": name, "from": plain(a.figures.get(name)), "to": plain(b.figures.get(name))}
        for name in sorted(set(a.figures) | set(b.figures))
    ]

    rejected_a, rejected_b = _counts(a.rejected, ["file", "reason"]), _counts(b.rejected, ["file", "reason"])
    rejected = [
        {
            "file": file,
            "reason": reason,
            "from": rejected_a.get((file, reason), 0),
            "to": rejected_b.get((file, reason), 0),
        }
        for file, reason in sorted(set(rejected_a) | set(rejected_b))
    ]

    def keyed(frame: pd.DataFrame) -> set[tuple]:
        return {tuple(plain(v) for v in row) for row in frame[FINDING_KEY].itertuples(index=False)}

    found_a, found_b = keyed(a.findings), keyed(b.findings)
    checks = sorted({key[0] for key in found_a | found_b})
    findings = [
        {
            "check": check,
            "new": sum(1 for key in found_b - found_a if key[0] == check),
            "resolved": sum(1 for key in found_a - found_b if key[0] == check),
        }
        for check in checks
    ]
    return {
        "from": a.extract_id,
        "to": b.extract_id,
        "patients": {"added": added, "removed": removed},
        "changes": changes,
        "figures": figures,
        "rejected": rejected,
        "findings": findings,
    }


def summarise(diff: Mapping[str, Any]) -> dict[str, Any]:
    """Counts of each kind of change, and the figures that moved (for the report and the text view)."""
    per_field: dict[str, int] = {}
    for change in diff["changes"]:
        per_field[change["field"]] = per_field.get(change["field"], 0) + 1
    return {
        "patients_added": len(diff["patients"]["added"]),
        "patients_removed": len(diff["patients"]["removed"]),
        "patients_changed": len({c["patient_id"] for c in diff["changes"]}),
        "changes_per_field": per_field,
        "figures_moved": [f for f in diff["figures"] if f["from"] != f["to"]],
        "rejected_changed": [r for r in diff["rejected"] if r["from"] != r["to"]],
        "findings_changed": [f for f in diff["findings"] if f["new"] or f["resolved"]],
    }
