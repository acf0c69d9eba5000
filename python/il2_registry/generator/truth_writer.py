"""The truth folder `<out>_truth/` beside the extract (read by tests only, never the warehouse).

- `patients.csv`: per patient, intended and derived cohort, disease, day 1, responses,
  OS/PFS/DoR (days, event) and the characteristics the paper reports.
- `bad_rows.csv`: every bad row of a messy extract: file, row_number, column, kind,
  expected (`rejected` / `nulled`), reason (bad_rows.md reason code or `value_nulled`), value.
- `paper_figures.json` (paper profile): the published figures recomputed from the truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

BAD_ROW_COLUMNS = ["file", "row_number", "column", "kind", "expected", "reason", "value"]


def truth_dir_for(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    return out_dir.parent / f"{out_dir.name}_truth"


def _iso(days: pd.Series) -> pd.Series:
    values = days.astype("float")
    text = pd.Series(
        np.datetime_as_string(values.fillna(0).astype("int64").to_numpy().astype("datetime64[D]"))
    )
    text.index = days.index
    return text.where(values.notna(), "")


def write_patients_truth(truth_dir: Path, truth: pd.DataFrame, *, append: bool) -> None:
    frame = truth.copy()
    for col in (
        "day1",
        "os_end",
        "pfs_end",
        "dor_start",
        "initial_response_date",
        "best_overall_response_date",
    ):
        if col in frame:
            frame[col] = _iso(frame[col])
    frame = frame.reset_index(names="patient_id")
    path = truth_dir / "patients.csv"
    frame.to_csv(path, mode="a" if append else "w", header=not append, index=False, float_format="%.6f")


def write_bad_rows(truth_dir: Path, records: list[dict]) -> None:
    frame = pd.DataFrame(records, columns=BAD_ROW_COLUMNS)
    frame = frame.sort_values(["file", "row_number", "column"], kind="stable")
    frame.to_csv(truth_dir / "bad_rows.csv", index=False)


def write_figures(truth_dir: Path, figures: dict) -> None:
    (truth_dir / "paper_figures.json").write_text(json.dumps(figures, indent=2, default=float) + "\n")
