"""Clinical tables -> the contract's text: ISO or US dates, partial dates, timestamps, codes.

Site quirks live here: the sites in `sites.US_DATE_SITES` export every date as MM/DD/YYYY,
and odd-numbered sites write timestamps as `YYYY-MM-DDTHH:MM:SS` instead of `YYYY-MM-DD HH:MM`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from il2_registry.generator.sites import US_DATE_SITES
from il2_registry.generator.tables import FILE_COLUMNS, MISSING, MONTH_ONLY, YEAR_ONLY, ClinicalTables


def _site_of(patient_ids: pd.Series) -> np.ndarray:
    return patient_ids.str.slice(0, 4).to_numpy()


def format_dates(days: np.ndarray, us_style: np.ndarray, precision: np.ndarray | None = None) -> pa.Array:
    """Day numbers -> text; missing (-1) -> null; partial precision -> YYYY-MM / YYYY."""
    days = np.asarray(days, dtype=np.int64)
    mask = days == MISSING
    arr = pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())
    ts = arr.cast(pa.timestamp("s"))
    iso = pc.strftime(ts, format="%Y-%m-%d")
    us = pc.strftime(ts, format="%m/%d/%Y")
    out = pc.if_else(pa.array(np.asarray(us_style, dtype=bool)), us, iso)
    if precision is not None:
        precision = np.asarray(precision, dtype=np.int64)
        out = pc.if_else(pa.array(precision == MONTH_ONLY), pc.strftime(ts, format="%Y-%m"), out)
        out = pc.if_else(pa.array(precision == YEAR_ONLY), pc.strftime(ts, format="%Y"), out)
    return out


def format_timestamps(minutes: np.ndarray, t_style: np.ndarray) -> pa.Array:
    ts = pa.array(np.asarray(minutes, dtype=np.int64) * 60, type=pa.int64()).cast(pa.timestamp("s"))
    space = pc.strftime(ts, format="%Y-%m-%d %H:%M")
    tee = pc.strftime(ts, format="%Y-%m-%dT%H:%M:%S")
    return pc.if_else(pa.array(np.asarray(t_style, dtype=bool)), tee, space)


def _text(values) -> pa.Array:
    """Strings with empty -> null (written as an empty field)."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _int(values) -> pa.Array:
    v = np.asarray(values, dtype=float)
    return pa.array(np.nan_to_num(v).astype(np.int64), type=pa.int64(), mask=np.isnan(v))


def _num(values) -> pa.Array:
    """Decimals written without a trailing .0 when whole."""
    v = np.asarray(values, dtype=float)
    text = pa.array(np.where(np.isnan(v), "", np.char.mod("%g", np.nan_to_num(v))), type=pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _t_style(patient_ids: pd.Series) -> np.ndarray:
    return patient_ids.str.slice(1, 4).astype(int).to_numpy() % 2 == 1


def format_tables(t: ClinicalTables, sites: pd.DataFrame) -> dict[str, pa.Table]:
    """Every extract file as an Arrow table of contract text (header order as the dictionary)."""
    out: dict[str, pa.Table] = {}

    def us(frame: pd.DataFrame) -> np.ndarray:
        return np.isin(_site_of(frame["patient_id"]), list(US_DATE_SITES))

    out["sites.csv"] = pa.table({c: _text(sites[c]) for c in FILE_COLUMNS["sites.csv"]})

    p = t.patients
    u = us(p)
    out["patients.csv"] = pa.table(
        {
            "patient_id": _text(p["patient_id"]),
            "site_id": _text(p["site_id"]),
            "mrn": _text(p["mrn"]),
            "initials": _text(p["initials"]),
            "birth_date": format_dates(p["birth_date"], u),
            "sex": _text(p["sex"]),
            "race": _text(p["race"]),
            "consent_date": format_dates(p["consent_date"], u),
            "disease": _text(p["disease"]),
            "primary_diagnosis_date": format_dates(p["primary_dx"], u, p["primary_dx_prec"]),
            "metastatic_diagnosis_date": format_dates(p["metastatic_dx"], u, p["metastatic_dx_prec"]),
            "il2_start_date": format_dates(p["il2_start_date"], u),
            "last_modified": format_timestamps(p["last_modified"], _t_style(p["patient_id"])),
        }
    )

    b = t.baseline
    out["baseline.csv"] = pa.table(
        {
            "patient_id": _text(b["patient_id"]),
            "assessment_date": format_dates(b["assessment_date"], us(b)),
            "ecog": _int(b["ecog"]),
            "weight_kg": _num(b["weight_kg"]),
            "n_metastatic_sites": _int(b["n_metastatic_sites"]),
            "ldh_value": _num(b["ldh_value"]),
            "ldh_uln": _num(b["ldh_uln"]),
            **{c: _text(b[c]) for c in FILE_COLUMNS["baseline.csv"][7:]},
        }
    )

    pr = t.prior
    u = us(pr)
    out["prior_therapies.csv"] = pa.table(
        {
            "patient_id": _text(pr["patient_id"]),
            "line_number": _int(pr["line_number"]),
            "regimen_text": _text(pr["regimen_text"]),
            "start_date": format_dates(pr["start"], u, pr["start_prec"]),
            "end_date": format_dates(pr["end"], u, pr["end_prec"]),
            "best_response": _text(pr["best_response"]),
            "reason_stopped": _text(pr["reason_stopped"]),
            "irae_reported": _text(pr["irae_reported"]),
        }
    )

    cy = t.cycles[t.cycles["has_cycle_row"]]
    u = us(cy)
    out["il2_cycles.csv"] = pa.table(
        {
            "patient_id": _text(cy["patient_id"]),
            "course_number": _int(cy["course_number"]),
            "cycle_in_course": _int(cy["cycle_in_course"]),
            "admission_date": format_dates(cy["admission"], u),
            "discharge_date": format_dates(cy["discharge"], u),
            "dose_level_iu_per_kg": _int(cy["dose_level"]),
            "doses_planned": _int(cy["doses_planned"]),
            "stop_reason": _text(cy["stop_reason"]),
            "stop_toxicity_1": _text(cy["tox1"]),
            "stop_toxicity_2": _text(cy["tox2"]),
            "stop_toxicity_3": _text(cy["tox3"]),
        }
    )

    d = t.doses
    out["il2_doses.csv"] = pa.table(
        {
            "patient_id": _text(d["patient_id"]),
            "course_number": _int(d["course_number"]),
            "cycle_in_course": _int(d["cycle_in_course"]),
            "dose_number": _int(d["dose_number"]),
            "admin_datetime": format_timestamps(d["admin_minute"], _t_style(d["patient_id"])),
            "dose_iu_per_kg": _int(d["dose_iu"]),
        }
    )

    ae = t.adverse_events
    u = us(ae)
    out["adverse_events.csv"] = pa.table(
        {
            "patient_id": _text(ae["patient_id"]),
            "ae_seq": _int(ae["ae_seq"]),
            "ae_term": _text(ae["ae_term"]),
            "onset_date": format_dates(ae["onset"], u),
            "resolution_date": format_dates(ae["resolution"], u),
            "ctcae_grade": _int(ae["grade"]),
            "serious": _text(ae["serious"]),
            "related_to_il2": _text(ae["related"]),
            "immune_related": _text(ae["immune_related"]),
            "treated_with_steroids": _text(ae["steroids"]),
        }
    )

    a = t.assessments
    out["tumor_assessments.csv"] = pa.table(
        {
            "patient_id": _text(a["patient_id"]),
            "assessment_date": format_dates(a["date"], us(a)),
            "overall_response": _text(a["response"]),
            "method": _text(a["method"]),
            "new_lesions": _text(a["new_lesions"]),
        }
    )

    s = t.subsequent
    out["subsequent_therapies.csv"] = pa.table(
        {
            "patient_id": _text(s["patient_id"]),
            "regimen_text": _text(s["regimen_text"]),
            "start_date": format_dates(s["start"], us(s), s["start_prec"]),
        }
    )

    f = t.follow_up
    u = us(f)
    out["follow_up.csv"] = pa.table(
        {
            "patient_id": _text(f["patient_id"]),
            "contact_date": format_dates(f["contact_date"], u),
            "vital_status": _text(f["vital_status"]),
            "death_date": format_dates(f["death_date"], u),
            "progression_date": format_dates(f["progression_date"], u),
        }
    )
    return out
