"""Clinical tables -> the contract's text: ISO or US dates, partial dates, timestamps, codes.

Site quirks live here: the sites in `sites.US_DATE_SITES` export every date as MM/DD/YYYY,
and odd-numbered sites write timestamps as `YYYY-MM-DDTHH:MM:SS` instead of `YYYY-MM-DD HH:MM`.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from il2_registry.generator.sites import US_DATE_SITES
from il2_registry.generator.tables import FILE_COLUMNS, MISSING, MONTH_ONLY, YEAR_ONLY, ClinicalTables


def _site_in(patient_ids: pd.Series, sites) -> np.ndarray:
    """Whether each row's patient belongs to one of `sites` (the id starts with the site id)."""
    site = pc.utf8_slice_codeunits(pa.array(patient_ids.to_numpy(dtype=object), type=pa.string()), 0, 4)
    return pc.is_in(site, value_set=pa.array(sorted(sites))).to_numpy(zero_copy_only=False)


def _odd_site(patient_ids: pd.Series) -> np.ndarray:
    """Odd-numbered sites write `T` timestamps (the site number's last digit is odd)."""
    digit = pc.utf8_slice_codeunits(pa.array(patient_ids.to_numpy(dtype=object), type=pa.string()), 3, 4)
    return pc.is_in(digit, value_set=pa.array(list("13579"))).to_numpy(zero_copy_only=False)


_FIRST_DAY = -25567  # 1900-01-01
_N_DAYS = 47847  # through 2030-12-31
_STYLES = ["%Y-%m-%d", "%m/%d/%Y", "%Y-%m", "%Y"]


@functools.cache
def _date_texts() -> pa.Array:
    """Every day 1900-2030 in the four styles (ISO, US, year-month, year), one after another."""
    days = pa.array(np.arange(_FIRST_DAY, _FIRST_DAY + _N_DAYS, dtype=np.int32)).cast(pa.date32())
    stamps = days.cast(pa.timestamp("s"))
    return pa.concat_arrays([pc.strftime(stamps, format=f) for f in _STYLES])


@functools.cache
def _clock_texts() -> pa.Array:
    minutes = range(1440)
    return pa.array(
        [f" {m // 60:02d}:{m % 60:02d}" for m in minutes]
        + [f"T{m // 60:02d}:{m % 60:02d}:00" for m in minutes]
    )


def format_dates(days: np.ndarray, us_style: np.ndarray, precision: np.ndarray | None = None) -> pa.Array:
    """Day numbers -> text; missing (-1) -> null; partial precision -> YYYY-MM / YYYY.

    Dates are formatted once per distinct calendar day (a lookup table) and gathered with
    `take`, which keeps millions of rows fast.
    """
    days = np.asarray(days, dtype=np.int64)
    missing = days == MISSING
    if missing.all():
        return pa.nulls(len(days), pa.string())
    offset = days - _FIRST_DAY
    if offset[~missing].min() < 0 or offset[~missing].max() >= _N_DAYS:
        raise ValueError("dates must lie in 1900-2030")
    style = np.where(np.asarray(us_style, dtype=bool), 1, 0)
    if precision is not None:
        precision = np.asarray(precision, dtype=np.int64)
        style = np.where(precision == MONTH_ONLY, 2, np.where(precision == YEAR_ONLY, 3, style))
    index = np.where(missing, 0, offset + style * _N_DAYS)
    return pc.take(_date_texts(), pa.array(index, mask=missing))


def format_timestamps(minutes: np.ndarray, t_style: np.ndarray) -> pa.Array:
    """`YYYY-MM-DD HH:MM`, or `YYYY-MM-DDTHH:MM:SS` where t_style; day and time looked up."""
    minutes = np.asarray(minutes, dtype=np.int64)
    if len(minutes) == 0:
        return pa.array([], pa.string())
    day_text = pc.take(_date_texts(), pa.array(minutes // 1440 - _FIRST_DAY))
    index = minutes % 1440 + np.where(np.asarray(t_style, dtype=bool), 1440, 0)
    return pc.binary_join_element_wise(day_text, pc.take(_clock_texts(), pa.array(index)), "")


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


def format_tables(t: ClinicalTables, sites: pd.DataFrame) -> dict[str, pa.Table]:
    """Every extract file as an Arrow table of contract text (header order as the dictionary)."""
    out: dict[str, pa.Table] = {}

    def us(frame: pd.DataFrame) -> np.ndarray:
        return _site_in(frame["patient_id"], US_DATE_SITES)

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
            "last_modified": format_timestamps(p["last_modified"], _odd_site(p["patient_id"])),
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
            "admin_datetime": format_timestamps(d["admin_minute"], _odd_site(d["patient_id"])),
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
