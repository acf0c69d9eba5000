"""The generator's clinical tables before formatting, and the extract's file layout.

Dates are integer day numbers (days since 1970-01-01, -1 = missing) with, where the contract
allows partial dates, a precision column (0 full date, 1 month known, 2 year known). Dose
times are integer minutes since 1970-01-01. Formatting into the contract's text happens in
`formatting.py`; nothing here knows about CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

MISSING = -1
FULL, MONTH_ONLY, YEAR_ONLY = 0, 1, 2
EPOCH = np.datetime64("1970-01-01", "D")


def day_number(iso: str) -> int:
    return int((np.datetime64(iso, "D") - EPOCH).astype(np.int64))


# File name -> header, in the order the contract lists the columns.
FILE_COLUMNS: dict[str, list[str]] = {
    "sites.csv": ["site_id", "site_name", "site_type", "state"],
    "patients.csv": [
        "patient_id",
        "site_id",
        "mrn",
        "initials",
        "birth_date",
        "sex",
        "race",
        "consent_date",
        "disease",
        "primary_diagnosis_date",
        "metastatic_diagnosis_date",
        "il2_start_date",
        "last_modified",
    ],
    "baseline.csv": [
        "patient_id",
        "assessment_date",
        "ecog",
        "weight_kg",
        "n_metastatic_sites",
        "ldh_value",
        "ldh_uln",
        "braf_status",
        "nras_status",
        "ckit_status",
        "brain_metastases",
        "imdc_risk",
        "m_stage",
    ],
    "prior_therapies.csv": [
        "patient_id",
        "line_number",
        "regimen_text",
        "start_date",
        "end_date",
        "best_response",
        "reason_stopped",
        "irae_reported",
    ],
    "il2_cycles.csv": [
        "patient_id",
        "course_number",
        "cycle_in_course",
        "admission_date",
        "discharge_date",
        "dose_level_iu_per_kg",
        "doses_planned",
        "stop_reason",
        "stop_toxicity_1",
        "stop_toxicity_2",
        "stop_toxicity_3",
    ],
    "il2_doses.csv": [
        "patient_id",
        "course_number",
        "cycle_in_course",
        "dose_number",
        "admin_datetime",
        "dose_iu_per_kg",
    ],
    "adverse_events.csv": [
        "patient_id",
        "ae_seq",
        "ae_term",
        "onset_date",
        "resolution_date",
        "ctcae_grade",
        "serious",
        "related_to_il2",
        "immune_related",
        "treated_with_steroids",
    ],
    "tumor_assessments.csv": ["patient_id", "assessment_date", "overall_response", "method", "new_lesions"],
    "subsequent_therapies.csv": ["patient_id", "regimen_text", "start_date"],
    "follow_up.csv": ["patient_id", "contact_date", "vital_status", "death_date", "progression_date"],
}
FILES = list(FILE_COLUMNS)


@dataclass
class ClinicalTables:
    """One data frame per extract file (sites excepted), clinical values, unformatted.

    patients: patient_id, site_id, disease, cohort (intended, truth only), mrn, initials,
      birth_date, sex, race, consent_date, primary_dx, primary_dx_prec, metastatic_dx,
      metastatic_dx_prec, il2_start_date, last_modified (minutes), day1 (intended).
    baseline: the contract's columns (dates as day numbers, numbers as floats, NaN missing).
    prior: patient_id, line_number, regimen_text, start, start_prec, end, end_prec,
      best_response, reason_stopped, irae_reported.
    cycles: patient_id, course_number, cycle_in_course, admission, discharge, dose_level,
      doses_planned, doses_given, stop_reason, tox1, tox2, tox3, has_cycle_row,
      first_dose_minute, dose_gap_minutes (int spacing between doses).
    doses: patient_id, course_number, cycle_in_course, dose_number, admin_minute, dose_iu.
    adverse_events: patient_id, ae_seq, ae_term, onset, resolution, grade, serious,
      related, immune_related, steroids.
    assessments: patient_id, date, response, method, new_lesions.
    subsequent: patient_id, regimen_text, start, start_prec.
    follow_up: patient_id, contact_date, vital_status, death_date, progression_date.
    """

    patients: pd.DataFrame
    baseline: pd.DataFrame
    prior: pd.DataFrame
    cycles: pd.DataFrame
    doses: pd.DataFrame
    adverse_events: pd.DataFrame
    assessments: pd.DataFrame
    subsequent: pd.DataFrame
    follow_up: pd.DataFrame

    @staticmethod
    def concat(parts: list[ClinicalTables]) -> ClinicalTables:
        return ClinicalTables(
            **{
                f.name: pd.concat([getattr(p, f.name) for p in parts], ignore_index=True)
                for f in fields(ClinicalTables)
            }
        )


def impute_partial(days: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """The date the warehouse sees for a partial date: day -> 15th, month and day -> July 1st."""
    days = np.asarray(days, dtype=np.int64)
    precision = np.asarray(precision, dtype=np.int64)
    dt = days.astype("datetime64[D]")
    month_start = dt.astype("datetime64[M]").astype("datetime64[D]")
    out = np.where(precision == MONTH_ONLY, month_start + np.timedelta64(14, "D"), dt)
    july = (dt.astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(6, "M")).astype(
        "datetime64[D]"
    )
    out = np.where(precision == YEAR_ONLY, july, out)
    res = (out - EPOCH).astype(np.int64)
    return np.where(days == MISSING, MISSING, res)
