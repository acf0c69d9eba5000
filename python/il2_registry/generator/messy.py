"""`--messy RATE`: bad rows of every kind in docs/bad_rows.md, recorded for the tests.

Rejected kinds are EXTRA rows beside the good ones (copies of good rows with one defect, or
with a patient id that does not exist), so the clinical truth is unchanged. Keys of defective
copies are moved out of the way (course 9, ae_seq 900+, new patient numbers) so that each
extra row has exactly one reason. Nulled values are written into existing rows of IL-2-alone
patients, in columns no published figure depends on (LDH of IL-2-alone patients feeds
no figure; the truth's LDH is nulled to match).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

NA_TOKENS = ["", "NA", "N/A", "UNK", "."]
BAD_DATES = ["2017-02-30", "13/45/2016", "not done", "2016-13-01", "31.12.2016"]
BAD_TIMESTAMPS = ["2017-02-30 08:00", "yesterday 8pm", "2016-05-12 25:61"]


@dataclass(frozen=True)
class Defect:
    kind: str  # reason code, or "value_nulled"
    column: str  # offending column ("" for row-level reasons)
    values: tuple[str, ...] = ()


REQUIRED_DEFECTS: dict[str, list[Defect]] = {
    "sites.csv": [
        Defect("missing_required", "site_id"),
        Defect("exact_duplicate", ""),
        Defect("duplicate_key", ""),
    ],
    "patients.csv": [
        Defect("orphan_site", "site_id"),
        Defect("missing_required", "disease"),
        Defect("missing_required", "last_modified"),
        Defect("invalid_date", "il2_start_date", tuple(BAD_DATES)),
        Defect("invalid_code", "disease", ("LUNG", "MELANOMA?", "CANCER")),
        Defect("exact_duplicate", ""),
    ],
    "baseline.csv": [
        Defect("missing_required", "patient_id"),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
        Defect("duplicate_key", ""),
    ],
    "prior_therapies.csv": [
        Defect("missing_required", "regimen_text"),
        Defect("invalid_date", "start_date", tuple(BAD_DATES)),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
    ],
    "il2_cycles.csv": [
        Defect("missing_required", "admission_date"),
        Defect("invalid_date", "admission_date", tuple(BAD_DATES)),
        Defect("invalid_number", "course_number", ("two", "1st", "x")),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
        Defect("duplicate_key", ""),
    ],
    "il2_doses.csv": [
        Defect("missing_required", "admin_datetime"),
        Defect("invalid_date", "admin_datetime", tuple(BAD_TIMESTAMPS)),
        Defect("invalid_number", "dose_number", ("16", "0", "x")),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
        Defect("duplicate_key", ""),
    ],
    "adverse_events.csv": [
        Defect("missing_required", "ae_term"),
        Defect("invalid_number", "ae_seq", ("first", "1a")),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
        Defect("duplicate_key", ""),
    ],
    "tumor_assessments.csv": [
        Defect("missing_required", "overall_response"),
        Defect("invalid_date", "assessment_date", tuple(BAD_DATES)),
        Defect("invalid_code", "overall_response", ("XX", "iUPD", "MR")),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
    ],
    "subsequent_therapies.csv": [
        Defect("missing_required", "regimen_text"),
        Defect("invalid_date", "start_date", tuple(BAD_DATES)),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
    ],
    "follow_up.csv": [
        Defect("missing_required", "death_date"),
        Defect("invalid_date", "contact_date", tuple(BAD_DATES)),
        Defect("invalid_code", "vital_status", ("UNCERTAIN", "ALIVE?")),
        Defect("orphan_patient", "patient_id"),
        Defect("exact_duplicate", ""),
    ],
}
NULLED_DEFECTS: dict[str, list[Defect]] = {
    "baseline.csv": [
        Defect("value_nulled", "ecog", ("7", "5")),
        Defect("value_nulled", "ldh_value", ("99999", "12")),
        Defect("value_nulled", "weight_kg", ("heavy", "999")),
    ],
    "adverse_events.csv": [Defect("value_nulled", "ctcae_grade", ("9", "0"))],
    "tumor_assessments.csv": [Defect("value_nulled", "method", ("XRAY",))],
}
# Keys whose collision would give a second reason: defective copies get a key out of the way.
_KEY_ESCAPE = {
    "il2_cycles.csv": "course_number",
    "il2_doses.csv": "course_number",
    "adverse_events.csv": "ae_seq",
}
_DUPLICATE_KEY_CHANGE = {
    "sites.csv": ("site_name", lambda v: f"{v} (old name)"),
    "baseline.csv": ("ecog", lambda v: "2" if v != "2" else "1"),
    "il2_cycles.csv": ("doses_planned", lambda v: "15" if v != "15" else "12"),
    "il2_doses.csv": (
        "admin_datetime",
        lambda v: (v or "")[:-1] + ("1" if not str(v).endswith("1") else "2"),
    ),
    "adverse_events.csv": ("ae_term", lambda v: "Fever" if v != "Fever" else "Nausea"),
}


def inject(
    rng: np.random.Generator,
    name: str,
    frame: pd.DataFrame,
    rate: float,
    *,
    row_offset: int,
    nullable_patients: set[str],
) -> tuple[pd.DataFrame, list[dict]]:
    """Add bad rows to one file's rows (strings, None = empty); return rows and their records.

    `frame` has a `_role` column ('good' or 'superseded'); row numbers count from
    `row_offset + 1` (the rows already written to the file).
    """
    good_idx = np.flatnonzero(frame["_role"].to_numpy() == "good")
    records: list[dict] = []
    frame = frame.copy()
    # --- nulled values in existing rows
    for defect in NULLED_DEFECTS.get(name, []):
        eligible = good_idx[frame["patient_id"].iloc[good_idx].isin(nullable_patients).to_numpy()]
        count = min(len(eligible), max(1, int(round(rate * len(good_idx) / 10))))
        for pos in rng.choice(eligible, size=count, replace=False) if count else []:
            value = str(rng.choice(defect.values))
            frame.iat[int(pos), frame.columns.get_loc(defect.column)] = value
            records.append(
                {"_pos": int(pos), "column": defect.column, "kind": "value_nulled", "value": value}
            )
    # --- extra rejected rows
    defects = REQUIRED_DEFECTS[name]
    n_extra = max(len(defects), int(round(rate * len(good_idx)))) if len(good_idx) else 0
    extras = []
    # A defective copy must not equal any other row of the file (it would also be an exact
    # duplicate: two reasons). Copies of two rows differing only in the damaged column can
    # coincide, so a colliding copy is redrawn from another anchor.
    data_columns = [c for c in frame.columns if not c.startswith("_")]
    seen = set(frame[data_columns].itertuples(index=False, name=None))
    for k in range(n_extra):
        defect = defects[k % len(defects)]
        for _attempt in range(50):
            anchor = int(rng.choice(good_idx))
            row = frame.iloc[anchor].copy()
            row["_role"] = "bad"
            after = defect.kind in ("exact_duplicate", "duplicate_key")
            value = _apply(rng, name, row, defect, k)
            if defect.kind not in ("exact_duplicate", "duplicate_key") and name in _KEY_ESCAPE:
                if defect.column != _KEY_ESCAPE[name]:
                    row[_KEY_ESCAPE[name]] = "9" if name != "adverse_events.csv" else str(900 + k)
            key = tuple(row[data_columns])
            if defect.kind == "exact_duplicate" or key not in seen:
                break
        else:
            raise RuntimeError(f"{name}: no distinct defective copy found")
        seen.add(key)
        extras.append((anchor, after, row, defect, value))
    if not extras:
        frame["_key"] = np.arange(len(frame)) * 3 + 1
        out = frame
    else:
        extra_frame = pd.DataFrame([e[2] for e in extras])
        extra_frame["_key"] = [e[0] * 3 + (2 if e[1] else 0) for e in extras]
        extra_frame["_extra"] = np.arange(len(extras))
        frame["_key"] = np.arange(len(frame)) * 3 + 1
        frame["_pos"] = np.arange(len(frame))
        out = pd.concat([frame, extra_frame], ignore_index=True)
    out = out.sort_values("_key", kind="stable").reset_index(drop=True)
    row_numbers = row_offset + 1 + np.arange(len(out))
    if extras:
        for extra_i, rn in zip(out["_extra"].to_numpy(), row_numbers, strict=True):
            if pd.isna(extra_i):
                continue
            _, _, _, defect, value = extras[int(extra_i)]
            records.append(
                {
                    "row_number": int(rn),
                    "column": defect.column,
                    "kind": defect.kind,
                    "value": value,
                }
            )
        pos_to_row = dict(
            zip(out["_pos"].dropna().astype(int), row_numbers[out["_pos"].notna().to_numpy()], strict=True)
        )
    else:
        pos_to_row = {int(p): int(row_offset + 1 + p) for p in range(len(frame))}
    for r in records:
        if "_pos" in r:
            r["row_number"] = int(pos_to_row[r.pop("_pos")])
    for r in records:
        r["file"] = name
        r["expected"] = "nulled" if r["kind"] == "value_nulled" else "rejected"
        r["reason"] = r["kind"]
    out = out.drop(columns=[c for c in ("_key", "_extra", "_pos") if c in out.columns])
    return out, records


def _apply(rng: np.random.Generator, name: str, row: pd.Series, defect: Defect, k: int) -> str:
    """Make `row` carry `defect`; return the offending value as written."""
    col = defect.column
    if defect.kind == "exact_duplicate":
        return ""
    if defect.kind == "duplicate_key":
        column, change = _DUPLICATE_KEY_CHANGE[name]
        row[column] = change(row[column])
        return ""
    if defect.kind == "orphan_site":
        row["site_id"] = "S999"
        row["patient_id"] = f"S999-{k:04d}"
        return "S999"
    if defect.kind == "orphan_patient":
        row["patient_id"] = f"S000-{k:04d}"
        return row["patient_id"]
    if name == "patients.csv":
        # A new patient number at the same site, so the defect is the only reason.
        row["patient_id"] = f"{row['site_id']}-9{k % 1000:03d}"
    if defect.kind == "missing_required":
        if name == "follow_up.csv":
            row["vital_status"] = "DEAD"
        value = str(rng.choice(NA_TOKENS))
        row[col] = value if value else None
        return value
    value = str(rng.choice(defect.values))
    row[col] = value
    return value
