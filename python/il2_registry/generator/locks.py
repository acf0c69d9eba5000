"""Later data locks of the same registry: `il2reg generate --cutoff YYYY-MM-DD` (docs/generator.md).

A lock at a later cut-off C is the first lock (the profile's cut-off, 2018-03-31) seen later:

- every patient's history is drawn once from the seed and observed up to C (+200 days of late
  entries, as at the first lock): the IL-2-alone and scale patients' records come from the same
  draws with a longer window (`sampler.expand_records`); the 57 designed prior-ICB patients of the
  paper profile get follow-up contacts (and some deaths) after their last designed contact;
- patients enrolled after the first lock (day 1 in (first cut-off, C]) come from a separate
  stream and are drawn once up to the horizon, so a lock holds those dosed by its cut-off;
- lock events (withdrawal of consent, a re-read scan, a corrected death date, a deleted row, a
  re-edit) are drawn once from a stream of their own, each on a day between the first cut-off
  and the horizon; a lock applies the events dated on or before its cut-off.

Nothing here changes the first lock: its files are written by the unchanged code path, and every
stream used here is separate from the ones it draws from. Two locks at C1 < C2 agree on
everything dated before C1 except the events dated in (C1, C2].
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pandas as pd

from il2_registry.generator import profiles
from il2_registry.generator.tables import MISSING, ClinicalTables, day_number

HORIZON_YEARS = 5
# Enrolment after the first lock: the paper's 1179 patients over 13.1 years, per year.
LATER_ENROLMENT_PER_YEAR = profiles.PAPER_TOTAL / 13.1
LATER_NUMBER_START = 5001  # within-site numbers of patients enrolled after the first lock
# Shares of the first lock's patients (or rows) hit by an event before the horizon.
WITHDRAWN_SHARE = 0.003
RESCAN_SHARE = 0.005
DEATH_DATE_CORRECTION_SHARE = 0.01  # of patients who died before the first cut-off
DELETED_ROW_SHARE = 0.002  # of adverse events and of follow-up contacts
REEDIT_SHARE = 0.02
EVENT_COLUMNS = ["event_date", "kind", "patient_id", "file", "detail"]


def first_cutoff() -> date:
    return profiles.DATA_CUTOFF


def horizon() -> date:
    return first_cutoff() + timedelta(days=round(HORIZON_YEARS * 365.25))


def check_cutoff(cutoff: date) -> None:
    """A lock's cut-off: from the first lock to the horizon of the drawn histories."""
    if not first_cutoff() <= cutoff <= horizon():
        raise ValueError(
            f"--cutoff {cutoff.isoformat()} must be between {first_cutoff().isoformat()} (the first lock) "
            f"and {horizon().isoformat()} (the end of the generated histories)"
        )


def later_enrolment_count(base_patients: int) -> int:
    """Patients enrolled between the first lock and the horizon, in proportion to the profile."""
    per_year = LATER_ENROLMENT_PER_YEAR * base_patients / profiles.PAPER_TOTAL
    return int(round(per_year * HORIZON_YEARS))


def later_groups() -> dict:
    """The sampler's groups with day 1 after the first lock (up to 60 days before the horizon)."""
    first = (first_cutoff() + timedelta(days=1)).isoformat()
    last = (horizon() - timedelta(days=60)).isoformat()
    return {
        key: dataclasses.replace(g, day1_first=first, day1_last=last) for key, g in profiles.GROUPS.items()
    }


def later_cohorts(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Disease and intended cohort of later patients, in the profile's shares."""
    cohort = np.where(rng.uniform(size=n) < profiles.PRIOR_ICB_SHARE, "prior_icb", "il2_alone")
    share = np.where(
        cohort == "prior_icb", profiles.MELANOMA_SHARE["prior_icb"], profiles.MELANOMA_SHARE["il2_alone"]
    )
    disease = np.where(rng.uniform(size=n) < share, "MELANOMA", "RCC")
    return disease, cohort


def enrolled_by(tables: ClinicalTables, cutoff_day: int) -> ClinicalTables:
    """Only the patients dosed (intended day 1) on or before the cut-off."""
    keep = set(tables.patients.loc[tables.patients["day1"] <= cutoff_day, "patient_id"])
    return _only(tables, keep)


def extend_follow_up(rng: np.random.Generator, tables: ClinicalTables, cutoff_day: int) -> ClinicalTables:
    """Contacts (and deaths) after the last contact of each patient neither dead nor lost.

    For the designed prior-ICB patients, whose records end at the first lock. The draws are one
    per patient in id order, whatever the cut-off; rows up to cut-off + 60 days are kept.
    """
    fu = tables.follow_up
    ended = set(fu.loc[fu["vital_status"].isin(["DEAD", "LOST"]), "patient_id"])
    last = fu.groupby("patient_id")["contact_date"].max()
    ids = sorted(set(tables.patients["patient_id"]) - ended)
    survival = rng.exponential(1400.0, size=len(ids)).astype(np.int64) + 30
    gaps = rng.integers(75, 106, size=(len(ids), 40))
    report_lag = rng.integers(0, 11, size=len(ids))
    window_end = cutoff_day + 60
    rows = []
    for k, pid in enumerate(ids):
        start = int(last.get(pid, tables.patients.set_index("patient_id").at[pid, "day1"]))
        death = start + int(survival[k])
        day = start
        for gap in gaps[k]:
            day += int(gap)
            if day >= death or day > window_end:
                break
            rows.append((pid, day, "ALIVE", MISSING, MISSING))
        if death + int(report_lag[k]) <= window_end:
            rows.append((pid, death + int(report_lag[k]), "DEAD", death, MISSING))
    extra = pd.DataFrame(
        rows, columns=["patient_id", "contact_date", "vital_status", "death_date", "progression_date"]
    )
    follow_up = pd.concat([fu, extra], ignore_index=True).sort_values(
        ["patient_id", "contact_date"], kind="stable"
    )
    return dataclasses.replace(tables, follow_up=follow_up.reset_index(drop=True))


def apply_lock_events(
    rng: np.random.Generator, tables: ClinicalTables, first_cutoff_day: int, cutoff_day: int, horizon_day: int
) -> tuple[ClinicalTables, pd.DataFrame]:
    """The lock events dated on or before `cutoff_day`, and the list of those applied.

    Candidates are chosen among the first lock's patients and rows dated before the first
    cut-off (the same in every later lock), in a fixed order, so the draws do not depend on the
    cut-off. Re-read scans change SD <-> PR; a corrected death date moves 1-7 days later (the DEAD
    contact with it); deleted rows are adverse events and follow-up contacts that are neither a
    patient's last nor carry a progression date; a re-edit touches only `last_modified`.
    """
    p = tables.patients
    first = p[p["day1"] <= first_cutoff_day].sort_values("patient_id")
    events: list[tuple] = []

    def when(size: int) -> np.ndarray:
        return rng.integers(first_cutoff_day + 1, horizon_day + 1, size=size)

    alone = first.loc[first["cohort"] == "il2_alone", "patient_id"].to_numpy()
    withdrawn = rng.choice(
        alone, size=min(len(alone), max(1, round(WITHDRAWN_SHARE * len(first)))), replace=False
    )
    for pid, day in zip(sorted(withdrawn), when(len(withdrawn)), strict=True):
        events.append((int(day), "withdrawn", pid, "", "consent withdrawn: every row removed"))
    staying = set(first["patient_id"]) - set(withdrawn)

    ta = tables.assessments
    day1 = p.set_index("patient_id")["day1"]
    scans = ta[
        ta["patient_id"].isin(staying)
        & ta["response"].isin(["SD", "PR"])
        & (ta["date"] > day1.reindex(ta["patient_id"]).to_numpy())
        & (ta["date"] <= first_cutoff_day)
    ]
    scans = scans.sort_values(["patient_id", "date"]).drop_duplicates("patient_id")
    picked = rng.choice(
        len(scans), size=min(len(scans), max(2, round(RESCAN_SHARE * len(first)))), replace=False
    )
    for i, day in zip(sorted(picked), when(len(picked)), strict=True):
        row = scans.iloc[i]
        new = "PR" if row["response"] == "SD" else "SD"
        events.append(
            (int(day), "rescan", row["patient_id"], "tumor_assessments.csv", f"{int(row['date'])}:{new}")
        )

    fu = tables.follow_up
    deaths = fu[(fu["death_date"] != MISSING) & (fu["death_date"] <= first_cutoff_day - 30)]
    dead_ids = sorted(set(deaths["patient_id"]) & staying)
    picked = rng.choice(
        len(dead_ids),
        size=min(len(dead_ids), max(1, round(DEATH_DATE_CORRECTION_SHARE * len(dead_ids)))),
        replace=False,
    )
    shifts = rng.integers(1, 8, size=len(picked))
    for i, shift, day in zip(sorted(picked), shifts, when(len(picked)), strict=True):
        events.append((int(day), "death_date_corrected", dead_ids[i], "follow_up.csv", f"+{int(shift)}"))

    ae = tables.adverse_events
    ae_rows = ae[ae["patient_id"].isin(staying)].sort_values(["patient_id", "ae_seq"])
    picked = rng.choice(
        len(ae_rows), size=min(len(ae_rows), max(1, round(DELETED_ROW_SHARE * len(ae_rows)))), replace=False
    )
    for i, day in zip(sorted(picked), when(len(picked)), strict=True):
        row = ae_rows.iloc[i]
        events.append(
            (int(day), "row_deleted", row["patient_id"], "adverse_events.csv", f"ae_seq {int(row['ae_seq'])}")
        )
    contacts = fu[fu["patient_id"].isin(staying) & (fu["contact_date"] <= first_cutoff_day)]
    contacts = contacts.sort_values(["patient_id", "contact_date"])
    is_last = contacts.groupby("patient_id")["contact_date"].transform("max") == contacts["contact_date"]
    contacts = contacts[
        ~is_last & (contacts["vital_status"] == "ALIVE") & (contacts["progression_date"] == MISSING)
    ]
    contacts = contacts.drop_duplicates(["patient_id", "contact_date"], keep=False)
    picked = rng.choice(
        len(contacts),
        size=min(len(contacts), max(1, round(DELETED_ROW_SHARE * len(contacts)))),
        replace=False,
    )
    for i, day in zip(sorted(picked), when(len(picked)), strict=True):
        row = contacts.iloc[i]
        events.append(
            (
                int(day),
                "row_deleted",
                row["patient_id"],
                "follow_up.csv",
                f"contact {int(row['contact_date'])}",
            )
        )

    edited = rng.choice(sorted(staying), size=max(1, round(REEDIT_SHARE * len(first))), replace=False)
    for pid, day in zip(sorted(edited), when(len(edited)), strict=True):
        events.append((int(day), "reedited", pid, "patients.csv", "last_modified"))

    applied = pd.DataFrame([e for e in events if e[0] <= cutoff_day], columns=EVENT_COLUMNS)
    return _apply(tables, applied), applied


def _apply(tables: ClinicalTables, events: pd.DataFrame) -> ClinicalTables:
    patients = tables.patients.copy()
    assessments = tables.assessments.copy()
    follow_up = tables.follow_up.copy()
    adverse = tables.adverse_events.copy()
    touched: dict[str, int] = {}
    for event_day, kind, pid, _file, detail in events.itertuples(index=False):
        touched[pid] = max(touched.get(pid, 0), int(event_day))
        if kind == "rescan":
            scan_day, response = detail.split(":")
            hit = (assessments["patient_id"] == pid) & (assessments["date"] == int(scan_day))
            assessments.loc[hit, "response"] = response
        elif kind == "death_date_corrected":
            shift = int(detail)
            hit = (follow_up["patient_id"] == pid) & (follow_up["death_date"] != MISSING)
            follow_up.loc[hit, "death_date"] += shift
            dead = hit & (follow_up["vital_status"] == "DEAD")
            follow_up.loc[dead, "contact_date"] = follow_up.loc[dead, ["contact_date", "death_date"]].max(
                axis=1
            )
        elif kind == "row_deleted" and detail.startswith("ae_seq"):
            adverse = adverse[
                ~((adverse["patient_id"] == pid) & (adverse["ae_seq"] == int(detail.split()[1])))
            ]
        elif kind == "row_deleted":
            day = int(detail.split()[1])
            follow_up = follow_up[~((follow_up["patient_id"] == pid) & (follow_up["contact_date"] == day))]
    # Every event is an edit of the patient's record: its last_modified is the event's day.
    stamp = patients["patient_id"].map(touched)
    later = stamp.notna() & (stamp * 1440 > patients["last_modified"])
    minutes = patients["last_modified"] % 1440
    patients.loc[later, "last_modified"] = stamp[later].astype(np.int64) * 1440 + minutes[later]
    out = dataclasses.replace(
        tables,
        patients=patients,
        assessments=assessments,
        follow_up=follow_up.reset_index(drop=True),
        adverse_events=adverse.reset_index(drop=True),
    )
    withdrawn = set(events.loc[events["kind"] == "withdrawn", "patient_id"])
    return _only(out, set(patients["patient_id"]) - withdrawn)


def _only(tables: ClinicalTables, keep: set[str]) -> ClinicalTables:
    return ClinicalTables(
        **{
            name: frame[frame["patient_id"].isin(keep)].reset_index(drop=True)
            for name, frame in vars(tables).items()
        }
    )


def event_frame_iso(events: pd.DataFrame) -> pd.DataFrame:
    """Events with their day as an ISO date (for the truth folder)."""
    out = events.copy()
    out["event_date"] = [(date(1970, 1, 1) + timedelta(days=int(d))).isoformat() for d in out["event_date"]]
    return out


def cutoff_day_of(cutoff: date) -> int:
    return day_number(cutoff.isoformat())


# ---------------------------------------------------------------------------------------------
# What changed between two locks, from the truth (the rules in pandas, `truth.derive_truth`)

# diff field -> truth column
CHANGE_FIELDS = {
    "cohort": "cohort",
    "day1_date": "day1",
    "initial_response": "initial_response",
    "best_overall_response": "best_overall_response",
    "confirmed_best_overall_response": "confirmed_best_overall_response",
    "os_event": "os_event",
    "os_time_days": "os_days",
    "pfs_event": "pfs_event",
    "pfs_time_days": "pfs_days",
    "dor_event": "dor_event",
    "dor_time_days": "dor_days",
}


def _plain(field: str, value: object) -> object:
    """A truth value in the diff's JSON form (ISO dates, integers, text, null)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if field == "day1_date":
        return (date(1970, 1, 1) + timedelta(days=int(value))).isoformat()
    if field.endswith("_event") or field.endswith("_days"):
        return int(value)
    return str(value)


def truth_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict:
    """Patients added and removed, and per patient the changed fields (the `il2reg diff` shape)."""
    added = sorted(set(after.index) - set(before.index))
    removed = sorted(set(before.index) - set(after.index))
    common = sorted(set(before.index) & set(after.index))
    changes = []
    for pid in common:
        for field, column in CHANGE_FIELDS.items():
            old = _plain(field, before.at[pid, column])
            new = _plain(field, after.at[pid, column])
            if old != new:
                changes.append({"patient_id": pid, "field": field, "from": old, "to": new})
    return {"patients": {"added": added, "removed": removed}, "changes": changes}
