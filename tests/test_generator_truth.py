"""The truth module's rules on four hand-made patients, every expected value worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from il2_registry.generator.tables import FULL, MISSING, MONTH_ONLY, ClinicalTables, day_number
from il2_registry.generator.truth import derive_truth

CUTOFF = day_number("2018-03-31")


def d(iso: str) -> int:
    return day_number(iso)


def minute(iso: str, hh: int) -> int:
    return d(iso) * 1440 + hh * 60


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    patients = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P3", "P4", "P5"],
            "disease": ["MELANOMA", "RCC", "MELANOMA", "MELANOMA", "RCC"],
            "cohort": ["prior_icb", "il2_alone", "il2_alone", "prior_icb", "il2_alone"],
            "il2_start_date": [
                d("2017-01-01"),
                d("2016-06-01"),
                d("2017-06-05"),
                d("2017-03-01"),
                d("2017-01-01"),
            ],
            "metastatic_dx": [
                d("2016-01-02"),
                d("2016-01-01"),
                d("2017-01-01"),
                d("2016-03-01"),
                d("2016-01-01"),
            ],
            "metastatic_dx_prec": [FULL, MONTH_ONLY, FULL, FULL, FULL],
        }
    )
    prior = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P2", "P4"],
            "line_number": [1, 1, 2, 1],
            "regimen_text": ["Keytruda", "Interferon", "Ipilimumab", "nivo + ipi"],
            "start": [d("2016-05-01"), d("2015-01-01"), d("2015-09-01"), d("2016-06-20")],
            "start_prec": [FULL, FULL, FULL, MONTH_ONLY],
            "end": [d("2016-11-01"), d("2015-06-01"), MISSING, d("2016-12-31")],
            "end_prec": [FULL, FULL, FULL, FULL],
            "best_response": ["PD", "SD", "", "PD"],
        }
    )
    doses = pd.DataFrame(
        {
            "patient_id": ["P1", "P1", "P3", "P4"],
            "course_number": [1, 1, 1, 1],
            "cycle_in_course": [1, 1, 1, 1],
            "dose_number": [1, 2, 1, 1],
            "admin_minute": [
                minute("2017-01-02", 22),
                minute("2017-01-03", 6),
                minute("2017-06-05", 10),
                minute("2017-03-01", 9),
            ],
        }
    )
    cycles = pd.DataFrame(
        {
            "patient_id": ["P1", "P3", "P4"],
            "course_number": [1, 1, 1],
            "cycle_in_course": [1, 1, 1],
            "doses_planned": [14, 14, 14],
            "has_cycle_row": [True, True, True],
            "tox1": ["", "", ""],
            "tox2": ["", "", ""],
            "tox3": ["", "", ""],
        }
    )
    assessments = pd.DataFrame(
        [
            ("P1", "2016-12-20", "NE"),  # baseline: on or before day 1, carries no response
            ("P1", "2017-02-15", "SD"),
            ("P1", "2017-04-15", "PR"),
            ("P1", "2017-05-20", "PR"),
            ("P1", "2017-08-01", "PD"),
            ("P2", "2016-07-10", "SD"),
            ("P2", "2016-08-01", "PR"),
            ("P2", "2016-08-20", "CR"),
            ("P2", "2016-10-01", "CR"),  # after the new therapy: outside the BOR window
            ("P4", "2017-04-15", "CR"),
            ("P4", "2017-05-01", "NE"),
            ("P4", "2017-06-01", "CR"),
            ("P4", "2017-07-01", "PR"),
            ("P5", "2017-02-20", "CR"),  # a CR then a PR 40 days later (a data issue)
            ("P5", "2017-04-01", "PR"),
        ],
        columns=["patient_id", "date", "response"],
    )
    assessments["date"] = assessments["date"].map(d)
    subsequent = pd.DataFrame(
        {
            "patient_id": ["P2"],
            "regimen_text": ["Sunitinib"],
            "start": [d("2016-09-01")],
            "start_prec": [FULL],
        }
    )
    follow_up = pd.DataFrame(
        [
            ("P1", "2017-10-01", "ALIVE", None, None),
            ("P1", "2018-01-10", "DEAD", "2018-01-05", None),
            ("P2", "2018-05-01", "ALIVE", None, None),  # alive after the cut-off
            ("P3", "2017-09-01", "ALIVE", None, None),
            ("P3", "2017-12-01", "LOST", None, None),  # a LOST contact is not 'known alive'
            ("P4", "2017-09-15", "ALIVE", None, "2017-09-10"),
            ("P4", "2018-04-12", "DEAD", "2018-04-10", None),  # death after the cut-off
            ("P5", "2017-06-01", "ALIVE", None, None),
        ],
        columns=["patient_id", "contact_date", "vital_status", "death_date", "progression_date"],
    )
    for col in ("contact_date", "death_date", "progression_date"):
        follow_up[col] = follow_up[col].map(lambda v: d(v) if v else MISSING)
    baseline = pd.DataFrame(
        {
            "patient_id": ["P1", "P2", "P3", "P4", "P5"],
            "ldh_value": [200.0, 300.0, float("nan"), 250.0, 210.0],
            "braf_status": ["MUTANT", "", "NOT_TESTED", "WILD_TYPE", ""],
            "nras_status": ["WILD_TYPE", "", "NOT_TESTED", "NOT_TESTED", ""],
            "ckit_status": ["NOT_TESTED", "", "NOT_TESTED", "NOT_TESTED", ""],
        }
    )
    empty_ae = pd.DataFrame(columns=["patient_id", "immune_related"])
    tables = ClinicalTables(
        patients, baseline, prior, cycles, doses, empty_ae, assessments, subsequent, follow_up
    )
    return derive_truth(tables, CUTOFF)


def test_day1_and_cohort(truth: pd.DataFrame) -> None:
    # P1: the dose log (2017-01-02) wins over the enrolment form (2017-01-01).
    assert truth.loc["P1", "day1"] == d("2017-01-02") and truth.loc["P1", "day1_source"] == "dose_log"
    assert bool(truth.loc["P1", "day1_mismatch"])
    # P2: no doses -> enrolment form.
    assert truth.loc["P2", "day1"] == d("2016-06-01") and truth.loc["P2", "day1_source"] == "enrolment_form"
    # P1 Keytruda and P4 nivo + ipi (2016-06 -> 2016-06-15) before day 1: prior ICB.
    # P2 had ipilimumab alone (CTLA-4 is not PD-1/PD-L1): IL-2 alone.
    assert truth["cohort"].to_dict() == {
        "P1": "prior_icb",
        "P2": "il2_alone",
        "P3": "il2_alone",
        "P4": "prior_icb",
        "P5": "il2_alone",
    }
    assert bool(truth.loc["P4", "prior_nivolumab_plus_ipilimumab"]) and bool(
        truth.loc["P4", "prior_nivolumab"]
    )
    assert not truth.loc["P1", "prior_nivolumab_plus_ipilimumab"]


def test_responses(truth: pd.DataFrame) -> None:
    # P1: SD, PR, PR (35 days apart, nothing between: confirmed), then PD.
    assert truth.loc[
        "P1", ["initial_response", "best_overall_response", "confirmed_best_overall_response"]
    ].tolist() == [
        "SD",
        "PR",
        "PR",
    ]
    # P2: SD (day 39), PR (day 61), CR (day 80, 19 days after the PR: no confirmation), then a
    # new therapy; the CR after it is outside the window. Confirmed: SD (the PR is >= 42 days).
    assert truth.loc[
        "P2", ["initial_response", "best_overall_response", "confirmed_best_overall_response"]
    ].tolist() == [
        "SD",
        "CR",
        "SD",
    ]
    # P3: no assessment after day 1: initial response and BOR not evaluable.
    assert truth.loc["P3", "initial_response"] == "NE"
    assert truth.loc["P3", ["best_overall_response", "confirmed_best_overall_response"]].tolist() == [
        "NE",
        "NE",
    ]
    # P4: CR, NE, CR 47 days later with one NE between: confirmed CR.
    assert truth.loc["P4", ["best_overall_response", "confirmed_best_overall_response"]].tolist() == [
        "CR",
        "CR",
    ]
    # P5: CR (day 50) then PR (day 90): no confirmed CR (one CR), no confirmed PR (a PR after a
    # CR), so SD (a response >= 42 days after day 1). Unconfirmed BOR: CR.
    assert truth.loc["P5", ["best_overall_response", "confirmed_best_overall_response"]].tolist() == [
        "CR",
        "SD",
    ]


def test_overall_survival(truth: pd.DataFrame) -> None:
    # P1 died 2018-01-05: 2017-01-02 -> 2018-01-05 = 368 days.
    assert (truth.loc["P1", "os_days"], truth.loc["P1", "os_event"]) == (368, 1)
    # P2 alive after the cut-off: censored at 2018-03-31, 2016-06-01 -> 2018-03-31 = 668 days.
    assert (truth.loc["P2", "os_days"], truth.loc["P2", "os_event"]) == (668, 0)
    # P3: last ALIVE contact 2017-09-01 (the LOST contact does not count): 88 days.
    assert (truth.loc["P3", "os_days"], truth.loc["P3", "os_event"]) == (88, 0)
    # P4 died after the cut-off: censored at the cut-off, 2017-03-01 -> 2018-03-31 = 395 days.
    assert (truth.loc["P4", "os_days"], truth.loc["P4", "os_event"]) == (395, 0)
    assert math.isclose(truth.loc["P4", "months_follow_up"], 395 / 30.4375)


def test_progression_free_survival_and_duration_of_response(truth: pd.DataFrame) -> None:
    # P1: first PD 2017-08-01 = 211 days; DoR from the first PR 2017-04-15: 108 days.
    assert truth.loc["P1", ["pfs_days", "pfs_event", "pfs_reason"]].tolist() == [211, 1, "progression"]
    assert (truth.loc["P1", "dor_days"], truth.loc["P1", "dor_event"]) == (108, 1)
    # P2: new therapy 2016-09-01 = 92 days; DoR from the PR on 2016-08-01: 31 days.
    assert truth.loc["P2", ["pfs_days", "pfs_event", "pfs_reason"]].tolist() == [92, 1, "subsequent_therapy"]
    assert (truth.loc["P2", "dor_days"], truth.loc["P2", "dor_event"]) == (31, 1)
    # P3: no event, no adequate assessment: censored at day 1.
    assert truth.loc["P3", ["pfs_days", "pfs_event", "pfs_reason"]].tolist() == [
        0,
        0,
        "no_adequate_assessment",
    ]
    assert pd.isna(truth.loc["P3", "dor_days"])
    # P4: progression recorded at a contact, 2017-09-10 = 193 days; DoR from the CR 2017-04-15: 148.
    assert truth.loc["P4", ["pfs_days", "pfs_event"]].tolist() == [193, 1]
    assert (truth.loc["P4", "dor_days"], truth.loc["P4", "dor_event"]) == (148, 1)


def test_characteristics(truth: pd.DataFrame) -> None:
    # P4: nivo + ipi from 2016-06-15 (imputed) to 2016-12-31 = 199 days; to day 1: 60 days.
    assert math.isclose(truth.loc["P4", "months_on_pd1"], 199 / 30.4375)
    assert math.isclose(truth.loc["P4", "months_pd1_end_to_day1"], 60 / 30.4375)
    # P1 last PD-1 regimen (Keytruda) had best response PD; P2 is not prior ICB.
    assert truth.loc["P1", "prior_pd1_best_response"] == "PD"
    assert pd.isna(truth.loc["P2", "months_on_pd1"])
    # P2 metastatic diagnosis 2016-01 -> 2016-01-15; day 1 2016-06-01: 138 days.
    assert math.isclose(truth.loc["P2", "months_metastatic_dx_to_day1"], 138 / 30.4375)
    # P1: two doses on 2017-01-02 and 2017-01-03: treatment 1 day; cycles received 1.
    assert math.isclose(truth.loc["P1", "months_il2_treatment"], 1 / 30.4375)
    assert truth.loc["P1", "cycles_received"] == 1 and pd.isna(truth.loc["P2", "cycles_received"])
    assert truth["is_mutation_status_reported"].to_dict() == {
        "P1": True,
        "P2": False,
        "P3": False,
        "P4": True,
        "P5": False,
    }
