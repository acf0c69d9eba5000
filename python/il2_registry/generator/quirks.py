"""Legitimate oddities of real exports, applied to formatted tables (they change no meaning).

- Re-edited patients: an earlier version of ~2 % of patient rows, superseded by the later
  `last_modified` (mostly placed just before the final row, some after it, one with the same
  `last_modified` placed before it: on a tie the later row in the file wins).
- Coded values in odd case or padded with spaces at some sites (`" pr "` is `PR`).
- NA tokens (`UNK`, `N/A`, `NA`, `.`) for missing optional values at some sites.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LOWER_CASE_RESPONSE_SITES = ("S011",)
PADDED_RESPONSE_SITES = ("S029",)
UNK_BASELINE_SITES = ("S017",)
NA_END_DATE_SITES = ("S033",)
DOT_RESOLUTION_SITES = ("S021",)
SUPERSEDED_SHARE = 0.02


def _site_mask(table: pa.Table, sites: tuple[str, ...]) -> pa.Array:
    return pc.is_in(pc.utf8_slice_codeunits(table["patient_id"], 0, 4), value_set=pa.array(list(sites)))


def _replace(table: pa.Table, column: str, values: pa.Array) -> pa.Table:
    return table.set_column(table.column_names.index(column), column, values)


def apply_value_quirks(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    out = dict(tables)
    ta = out["tumor_assessments.csv"]
    resp = ta["overall_response"]
    resp = pc.if_else(_site_mask(ta, LOWER_CASE_RESPONSE_SITES), pc.utf8_lower(resp), resp)
    padded = pc.binary_join_element_wise(" ", pc.utf8_lower(resp), " ", "")
    resp = pc.if_else(_site_mask(ta, PADDED_RESPONSE_SITES), padded, resp)
    out["tumor_assessments.csv"] = _replace(ta, "overall_response", resp)

    b = out["baseline.csv"]
    mask = _site_mask(b, UNK_BASELINE_SITES)
    for col in ("braf_status", "nras_status", "ckit_status", "imdc_risk", "m_stage"):
        values = b[col]
        b = _replace(b, col, pc.if_else(pc.and_(mask, pc.is_null(values)), pa.scalar("UNK"), values))
    out["baseline.csv"] = b

    pr = out["prior_therapies.csv"]
    mask = _site_mask(pr, NA_END_DATE_SITES)
    values = pr["end_date"]
    out["prior_therapies.csv"] = _replace(
        pr, "end_date", pc.if_else(pc.and_(mask, pc.is_null(values)), "N/A", values)
    )

    ae = out["adverse_events.csv"]
    mask = _site_mask(ae, DOT_RESOLUTION_SITES)
    values = ae["resolution_date"]
    out["adverse_events.csv"] = _replace(
        ae, "resolution_date", pc.if_else(pc.and_(mask, pc.is_null(values)), ".", values)
    )
    return out


def add_superseded_patients(rng: np.random.Generator, patients: pd.DataFrame) -> pd.DataFrame:
    """Insert earlier versions of some patient rows; adds `_role` ('good' / 'superseded')."""
    frame = patients.copy()
    frame["_role"] = "good"
    n = len(frame)
    k = max(1, int(round(n * SUPERSEDED_SHARE))) if n >= 20 else 0
    if k == 0:
        return frame
    chosen = np.sort(rng.choice(n, size=k, replace=False))
    old = frame.iloc[chosen].copy()
    old["_role"] = "superseded"
    # What an earlier edit looked like: race or sex not yet entered, diagnosis date missing.
    what = rng.integers(0, 3, size=k)
    old["race"] = np.where(what == 0, "UNKNOWN", old["race"])
    old["sex"] = np.where(what == 1, "U", old["sex"])
    old["metastatic_diagnosis_date"] = np.where(what == 2, None, old["metastatic_diagnosis_date"])
    # Earlier edit: the same timestamp format, some days earlier (one tie: the same stamp).
    stamps = old["last_modified"].astype(str)
    is_t = stamps.str.contains("T").to_numpy()
    moments = pd.to_datetime(stamps.str.replace("T", " "), format="mixed")
    earlier = moments - pd.to_timedelta(rng.integers(1, 200, size=k), unit="D")
    formatted = np.where(
        is_t, earlier.dt.strftime("%Y-%m-%dT%H:%M:%S"), earlier.dt.strftime("%Y-%m-%d %H:%M")
    )
    # The tie: identical last_modified, earlier in the file, a different race.
    formatted[0] = stamps.iloc[0]
    old.iloc[0, old.columns.get_loc("race")] = "OTHER" if old["race"].iloc[0] != "OTHER" else "UNKNOWN"
    old["last_modified"] = formatted
    # Position: before the final row, except every 5th (after it: file order is not time order).
    after = (np.arange(k) % 5 == 4) & (np.arange(k) != 0)
    key_orig = np.arange(n) * 3 + 1
    key_old = chosen * 3 + np.where(after, 2, 0)
    merged = pd.concat([frame.assign(_key=key_orig), old.assign(_key=key_old)], ignore_index=True)
    merged = merged.sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)
    return merged
