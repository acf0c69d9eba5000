"""A tiny hand-made warehouse with exactly the MARTS.md v1 columns, and the report's queries on it.

Nine patients: mM prior_icb P1-P4, mRCC prior_icb R1-R2, mM il2_alone A1-A2, mRCC il2_alone B1.
Every expected value below is worked out by hand from these rows (reasoning in comments), so
the queries are checked against arithmetic, not against themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import PROJECT_ROOT, run_dbt
from il2_registry.report import queries
from il2_registry.report.data import at_risk_grid, load_report_data

DAY1 = dt.date(2017, 1, 2)
DAYS_PER_MONTH = 30.4375

COHORT_DEFAULTS = {
    "site_id": "S001",
    "day1_date": DAY1,
    "ldh_uln": 250.0,
    "braf_status": None,
    "nras_status": None,
    "ckit_status": None,
    "is_mutation_status_reported": False,
    "has_prior_pd1": False,
    "has_prior_pdl1": False,
    "has_prior_ctla4": False,
    "has_prior_braf_mek": False,
    "has_prior_vegf_tki": False,
    "prior_icb_agents": None,
    "prior_icb_best_response": None,
    "months_on_pd1": None,
    "months_pd1_end_to_day1": None,
}
# fmt: off
COHORT = [
    dict(patient_id="P1", disease="mM", cohort="prior_icb", age_at_day1=50, sex="M", ecog=0,
         n_metastatic_sites=3,
         ldh_value=200.0, braf_status="MUTANT", nras_status="WILD_TYPE", ckit_status="WILD_TYPE",
         is_mutation_status_reported=True, has_prior_pd1=True, has_prior_ctla4=True, has_prior_braf_mek=True,
         prior_icb_agents="nivolumab+ipilimumab", prior_icb_best_response="PD",
         months_metastatic_dx_to_day1=10.0,
         months_on_pd1=3.0, months_pd1_end_to_day1=1.0, cycles_received=2, mean_doses_per_cycle=10.0,
         months_il2_treatment=1.0, months_follow_up=12.0),
    dict(patient_id="P2", disease="mM", cohort="prior_icb", age_at_day1=60, sex="F", ecog=1,
         n_metastatic_sites=2,
         ldh_value=400.0, braf_status="WILD_TYPE", nras_status="MUTANT", ckit_status="NOT_TESTED",
         is_mutation_status_reported=True, has_prior_pd1=True, prior_icb_agents="pembrolizumab",
         months_metastatic_dx_to_day1=20.0, months_on_pd1=6.0, months_pd1_end_to_day1=2.0, cycles_received=5,
         mean_doses_per_cycle=8.0, months_il2_treatment=3.0, months_follow_up=24.0),
    dict(patient_id="P3", disease="mM", cohort="prior_icb", age_at_day1=70, sex="M", ecog=None,
         n_metastatic_sites=4,
         ldh_value=None, braf_status="NOT_TESTED", nras_status="NOT_TESTED", ckit_status="NOT_TESTED",
         has_prior_pd1=True, prior_icb_agents="pd1_agent_not_recorded", prior_icb_best_response="PD",
         months_metastatic_dx_to_day1=30.0, months_on_pd1=9.0, months_pd1_end_to_day1=3.0,
         cycles_received=None,
         mean_doses_per_cycle=None, months_il2_treatment=0.1, months_follow_up=6.0),
    dict(patient_id="P4", disease="mM", cohort="prior_icb", age_at_day1=40, sex="M", ecog=0,
         n_metastatic_sites=1,
         ldh_value=100.0, has_prior_pd1=True, prior_icb_agents="nivolumab", prior_icb_best_response="PD",
         months_metastatic_dx_to_day1=40.0, months_on_pd1=12.0, months_pd1_end_to_day1=4.0, cycles_received=1,
         mean_doses_per_cycle=14.0, months_il2_treatment=0.2, months_follow_up=3.0),
    dict(patient_id="R1", disease="mRCC", cohort="prior_icb", age_at_day1=55, sex="M", ecog=1,
         n_metastatic_sites=3,
         ldh_value=300.0, has_prior_pdl1=True, has_prior_vegf_tki=True, prior_icb_agents="atezolizumab",
         prior_icb_best_response="PR", months_metastatic_dx_to_day1=5.0, months_on_pd1=4.0,
         months_pd1_end_to_day1=0.5, cycles_received=4, mean_doses_per_cycle=11.0, months_il2_treatment=2.0,
         months_follow_up=20.0),
    dict(patient_id="R2", disease="mRCC", cohort="prior_icb", age_at_day1=65, sex="F", ecog=0,
         n_metastatic_sites=2,
         ldh_value=150.0, has_prior_pd1=True, prior_icb_agents="nivolumab", months_metastatic_dx_to_day1=15.0,
         months_on_pd1=8.0, months_pd1_end_to_day1=1.5, cycles_received=2, mean_doses_per_cycle=9.0,
         months_il2_treatment=1.0, months_follow_up=10.0),
    dict(patient_id="A1", disease="mM", cohort="il2_alone", age_at_day1=45, sex="M", ecog=0,
         n_metastatic_sites=2,
         ldh_value=180.0, months_metastatic_dx_to_day1=8.0, cycles_received=2, mean_doses_per_cycle=14.0,
         months_il2_treatment=1.0, months_follow_up=30.0),
    dict(patient_id="A2", disease="mM", cohort="il2_alone", age_at_day1=35, sex="F", ecog=1,
         n_metastatic_sites=3,
         ldh_value=500.0, months_metastatic_dx_to_day1=12.0, cycles_received=3, mean_doses_per_cycle=12.0,
         months_il2_treatment=2.0, months_follow_up=15.0),
    dict(patient_id="B1", disease="mRCC", cohort="il2_alone", age_at_day1=58, sex="M", ecog=0,
         n_metastatic_sites=1,
         ldh_value=220.0, months_metastatic_dx_to_day1=24.0, cycles_received=4, mean_doses_per_cycle=10.0,
         months_il2_treatment=3.0, months_follow_up=40.0),
]
# patient: (initial, BOR, confirmed BOR)
RESPONSES = {
    "P1": ("PR", "CR", "CR"), "P2": ("SD", "PR", "SD"), "P3": ("PD", "PD", "PD"), "P4": (None, "NE", "NE"),
    "R1": ("CR", "CR", "CR"), "R2": ("SD", "SD", "SD"),
    "A1": ("PR", "PR", "PR"), "A2": ("PD", "PD", "PD"), "B1": ("SD", "SD", "SD"),
}
# patient: {endpoint: (months, event)}; DOR only for responders (BOR CR/PR: P1, P2, R1, A1)
SURVIVAL = {
    "P1": {"OS": (12.0, 0), "PFS": (10.0, 0), "DOR": (8.0, 0)},
    "P2": {"OS": (24.0, 1), "PFS": (9.0, 1), "DOR": (6.0, 1)},
    "P3": {"OS": (6.0, 1), "PFS": (2.0, 1)},
    "P4": {"OS": (3.0, 0), "PFS": (0.0, 0)},
    "R1": {"OS": (20.0, 0), "PFS": (20.0, 0), "DOR": (17.0, 0)},
    "R2": {"OS": (10.0, 0), "PFS": (5.0, 1)},
    "A1": {"OS": (30.0, 0), "PFS": (12.0, 1), "DOR": (10.0, 0)},
    "A2": {"OS": (15.0, 1), "PFS": (3.0, 1)},
    "B1": {"OS": (40.0, 1), "PFS": (14.0, 1)},
}
# patient: doses given per cycle, in order (planned 14). P4's second cycle has no dose given.
CYCLES = {
    "P1": [12, 8], "P2": [10, 6, 8, 8, 8], "P4": [14, 0], "R1": [11, 13, 12, 8], "R2": [9, 9],
    "A1": [14, 14], "A2": [12, 12, 12], "B1": [10, 10, 10, 10],
}
# (patient, cycle_seq, term): hypotension has more patients (3), tachycardia more rows (4)
STOP_TOXICITIES = [
    ("P1", 1, "Hypotension"), ("P1", 1, "Tachycardia"), ("P1", 2, "Tachycardia"),
    ("P2", 1, "Hypotension"), ("P2", 1, "Tachycardia"), ("P2", 2, "Tachycardia"),
    ("R1", 1, "Hypoxia"), ("R1", 2, "Hypotension"), ("A1", 1, "Diarrhea"),
]
# (patient, ae_seq, term, category, grade, serious, immune_related, steroids, onset_day)
ADVERSE_EVENTS = [
    ("R1", 1, "Pneumonitis", "respiratory", 3, True, False, True, 6),
    ("P1", 1, "Hypotension", "cardiovascular", 2, False, False, False, 1),
    ("A2", 1, "Colitis", "gastrointestinal", 3, True, True, True, 20),
]
# fmt: on
COHORT_COLUMNS = [
    "patient_id",
    "site_id",
    "disease",
    "cohort",
    "day1_date",
    "age_at_day1",
    "sex",
    "ecog",
    "n_metastatic_sites",
    "ldh_value",
    "ldh_uln",
    "braf_status",
    "nras_status",
    "ckit_status",
    "is_mutation_status_reported",
    "has_prior_pd1",
    "has_prior_pdl1",
    "has_prior_ctla4",
    "has_prior_braf_mek",
    "has_prior_vegf_tki",
    "prior_icb_agents",
    "prior_icb_best_response",
    "months_metastatic_dx_to_day1",
    "months_on_pd1",
    "months_pd1_end_to_day1",
    "cycles_received",
    "mean_doses_per_cycle",
    "months_il2_treatment",
    "months_follow_up",
]  # fmt: skip


def _km_rows(group: pd.DataFrame) -> tuple[list[dict], dict]:
    """Plain Kaplan-Meier (no CI method needed for the report's tests): one row per distinct time."""
    times = sorted(set(group["time_months"]) | {0.0})
    survival, rows, median = 1.0, [], None
    for t in times:
        at_risk = int((group["time_months"] >= t).sum())
        events = int(((group["time_months"] == t) & (group["event"] == 1)).sum())
        censored = int(((group["time_months"] == t) & (group["event"] == 0)).sum())
        if at_risk:
            survival *= 1 - events / at_risk
        if median is None and survival <= 0.5:
            median = t
        rows.append(
            dict(time_months=t, survival=survival, ci_lower=max(0.0, survival - 0.2),
                 ci_upper=min(1.0, survival + 0.2), n_at_risk=at_risk, n_events=events, n_censored=censored)
        )  # fmt: skip
    summary = dict(n=len(group), n_events=int(group["event"].sum()), median_months=median,
                   median_ci_lower=None if median is None else max(0.0, median - 3.0),
                   median_ci_upper=None, conf_type="log-log")  # fmt: skip
    return rows, summary


PAPER_MARTS = (
    "table1_best_response",
    "objective_response",
    "characteristics",
    "il2_dosing",
    "stop_toxicity_terms",
    "durable_responses",
    "immune_related_adverse_events",
    "immune_related_toxicity",
)
IMMUNE_RELATED_TERMS = {"Pneumonitis", "Colitis"}  # the terminology's flag for the terms used here
DRUG_CLASSES = {"nivolumab": "PD-1", "pembrolizumab": "PD-1", "atezolizumab": "PD-L1", "ipilimumab": "CTLA-4"}


@functools.cache
def paper_marts_sql() -> dict[str, str]:
    """The paper marts' SQL as `dbt compile` writes it, without the catalog name, so that the
    report reads them computed by the project's own models over the hand-made per-patient marts."""
    work = Path(tempfile.mkdtemp(prefix="paper_marts_compile_"))
    result = run_dbt(
        ["compile", "--select", "path:models/marts/paper"],
        warehouse=work / "il2_registry.duckdb",
        extract_dir=work / "no_extract_needed",
        work_dir=work,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    compiled = work / "target" / "compiled" / "il2_registry" / "models" / "marts" / "paper"
    assert PROJECT_ROOT.joinpath("models", "marts", "paper").is_dir()
    return {
        name: (compiled / f"{name}.sql").read_text().replace('"il2_registry".', "") for name in PAPER_MARTS
    }


def build_synthetic_warehouse(
    path: Path, *, with_cox: bool = False, therapy_line_agents: pd.DataFrame | None = None
) -> Path:
    """therapy_line_agents: core.fct_therapy_line_agents (default: one regimen per patient with
    its prior_icb_agents, 120 days before day 1)."""
    cohort = pd.DataFrame([{**COHORT_DEFAULTS, **row} for row in COHORT])[COHORT_COLUMNS]
    info = cohort.set_index("patient_id")[["disease", "cohort", "day1_date"]]
    best = pd.DataFrame(
        [
            dict(patient_id=p, disease=info.at[p, "disease"], cohort=info.at[p, "cohort"], initial_response=i,
                 initial_response_date=None if i is None else DAY1 + dt.timedelta(days=56),
                 best_overall_response=b, best_overall_response_date=DAY1 + dt.timedelta(days=56),
                 confirmed_best_overall_response=c, is_objective_response=b in ("CR", "PR"))
            for p, (i, b, c) in RESPONSES.items()
        ]
    )  # fmt: skip
    survival = pd.DataFrame(
        [
            dict(patient_id=p, disease=info.at[p, "disease"], cohort=info.at[p, "cohort"], endpoint=e,
                 start_date=DAY1, end_date=DAY1 + dt.timedelta(days=round(m * DAYS_PER_MONTH)),
                 time_days=round(m * DAYS_PER_MONTH), time_months=m, event=ev,
                 reason=("death" if e == "OS" else "progression") if ev else "last_contact")
            for p, endpoints in SURVIVAL.items() for e, (m, ev) in endpoints.items()
        ]
    )  # fmt: skip
    cycles = pd.DataFrame(
        [
            dict(patient_id=p, disease=info.at[p, "disease"], cohort=info.at[p, "cohort"],
                 course_number=(i // 2) + 1, cycle_in_course=(i % 2) + 1, cycle_seq=i + 1,
                 admission_date=DAY1 + dt.timedelta(days=14 * i), dose_level_iu_per_kg=600000,
                 doses_planned=14, doses_given=d, stop_reason="TOXICITY" if d < 14 else "COMPLETED")
            for p, doses in CYCLES.items() for i, d in enumerate(doses)
        ]
    )  # fmt: skip
    stop = pd.DataFrame(
        [
            dict(patient_id=p, disease=info.at[p, "disease"], cohort=info.at[p, "cohort"],
                 course_number=(s - 1) // 2 + 1, cycle_in_course=(s - 1) % 2 + 1, toxicity_verbatim=t.lower(),
                 toxicity_term=t, toxicity_category="other")
            for p, s, t in STOP_TOXICITIES
        ]
    )  # fmt: skip
    adverse = pd.DataFrame(
        [
            dict(patient_id=p, disease=info.at[p, "disease"], cohort=info.at[p, "cohort"], ae_seq=s,
                 ae_term_verbatim=t, preferred_term=t, category=c, ctcae_grade=g, is_serious=ser,
                 is_immune_related=ir, is_treated_with_steroids=st, onset_day=o)
            for p, s, t, c, g, ser, ir, st, o in ADVERSE_EVENTS
        ]
    )  # fmt: skip
    # columns beyond interface v1 that the paper marts read
    adverse["is_immune_related_term"] = adverse["preferred_term"].isin(IMMUNE_RELATED_TERMS)
    adverse["onset_date"] = [DAY1 + dt.timedelta(days=int(o)) for o in adverse["onset_day"]]
    adverse["site_id"] = "S001"
    cycles["discharge_date"] = [d + dt.timedelta(days=6) for d in cycles["admission_date"]]
    agents = pd.DataFrame(
        [
            dict(patient_id=r.patient_id, therapy_line_id=f"{r.patient_id}-L1", agent_name=a,
                 drug_class=DRUG_CLASSES.get(a, "PD-1"), start_date=DAY1 - dt.timedelta(days=120))
            for r in cohort.itertuples(index=False) if r.prior_icb_agents
            for a in str(r.prior_icb_agents).split("+")
        ],
        columns=["patient_id", "therapy_line_id", "agent_name", "drug_class", "start_date"],
    )  # fmt: skip
    curves, summaries = [], []
    for (disease, group_cohort, endpoint), group in survival.groupby(["disease", "cohort", "endpoint"]):
        rows, summary = _km_rows(group)
        key = dict(disease=disease, cohort=group_cohort, endpoint=endpoint)
        curves += [{**key, **r} for r in rows]
        summaries.append({**key, **summary})
    logrank = pd.DataFrame(
        [
            dict(disease="mM", endpoint="OS", chi_square=4.12, p_value=0.0423),
            dict(disease="mRCC", endpoint="OS", chi_square=0.45, p_value=0.5),
            dict(disease="mM", endpoint="PFS", chi_square=12.5, p_value=0.0004),
            dict(disease="mRCC", endpoint="PFS", chi_square=1.0, p_value=0.3173),
        ]
    )
    extract = pd.DataFrame(
        [dict(extract_id="synthetic-2018-03-31", data_cutoff_date=dt.date(2018, 3, 31),
              created_at="2018-04-02T09:15:00Z", contract_version=1, extract_dir="/nonexistent")]
    )  # fmt: skip
    relations = {
        "marts.cohort": cohort,
        "marts.best_response": best,
        "marts.survival": survival,
        "marts.il2_cycles": cycles,
        "marts.stop_toxicities": stop,
        "marts.adverse_events": adverse,
        "marts.km_curves": pd.DataFrame(curves),
        "marts.km_summary": pd.DataFrame(summaries),
        "marts.logrank": logrank,
        "core.dim_extract": extract,
        "core.fct_therapy_line_agents": agents if therapy_line_agents is None else therapy_line_agents,
    }
    if with_cox:
        relations["marts.cox"] = pd.DataFrame(
            [dict(disease="mM", endpoint="OS", n=6, n_events=3, hazard_ratio=0.8, hr_ci_lower=0.5,
                  hr_ci_upper=1.3, p_value=0.35, covariates="none")]
        )  # fmt: skip
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts; create schema core")
        for name, frame in relations.items():
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
        # Cast columns pandas cannot type from all-None values to what the marts hold.
        con.execute("alter table marts.cohort alter day1_date type date")
        con.execute("alter table marts.cohort alter cycles_received type integer")
        con.execute("alter table marts.km_summary alter median_months type double")
        con.execute("alter table marts.km_summary alter median_ci_lower type double")
        con.execute("alter table marts.km_summary alter median_ci_upper type double")
        con.execute("alter table core.fct_therapy_line_agents alter start_date type date")
        for name, sql in paper_marts_sql().items():
            con.execute(f"create table marts.{name} as {sql}")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def synthetic_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_synthetic_warehouse(tmp_path_factory.mktemp("report_synthetic") / "wh.duckdb")


@pytest.fixture()
def con(synthetic_warehouse: Path):
    connection = duckdb.connect(str(synthetic_warehouse), read_only=True)
    yield connection
    connection.close()


def _value(frame: pd.DataFrame, column: str, **filters):
    mask = pd.Series(True, index=frame.index)
    for key, wanted in filters.items():
        mask &= frame[key] == wanted
    hits = frame.loc[mask, column]
    assert len(hits) == 1, f"expected one row for {filters}, got {len(hits)}"
    return hits.iloc[0]


def test_no_relation_missing(con) -> None:
    assert queries.missing_relations(con) == []


def test_response_counts_count_missing_initial_response_as_not_evaluable(con) -> None:
    r = queries.response_counts(con)
    # mM prior_icb initial responses: P1 PR, P2 SD, P3 PD, P4 none -> NE.
    initial = r[(r.disease == "mM") & (r.cohort == "prior_icb") & (r.kind == "initial_response")]
    # every code is listed (marts.table1_best_response), 0 when nobody had it: CR 0
    assert dict(zip(initial.response, initial.n, strict=True)) == {
        "CR": 0,
        "PR": 1,
        "SD": 1,
        "PD": 1,
        "NE": 1,
    }
    # BOR: P1 CR, P2 PR, P3 PD, P4 NE.
    bor = r[(r.disease == "mM") & (r.cohort == "prior_icb") & (r.kind == "best_overall_response")]
    assert dict(zip(bor.response, bor.n, strict=True)) == {"CR": 1, "PR": 1, "SD": 0, "PD": 1, "NE": 1}


def test_characteristics_by_hand(con) -> None:
    c = queries.characteristics(con)
    row = c[(c.disease == "mM") & (c.cohort == "prior_icb")].iloc[0]
    assert row["n"] == 4
    assert (row["sex_m"], row["sex_f"]) == (3, 1)  # P1, P3, P4 male; P2 female
    assert (row["ecog_0"], row["ecog_1"], row["ecog_missing"]) == (2, 1, 1)  # P1,P4 / P2 / P3
    assert row["metastatic_sites_3plus"] == 2  # P1 (3), P3 (4)
    # LDH of P1, P2, P4 (P3 missing): (200 + 400 + 100) / 3
    assert row["ldh_value__mean"] == pytest.approx(700 / 3)
    assert (row["ldh_value__min"], row["ldh_value__max"], row["ldh_value__n"]) == (100, 400, 3)
    assert row["ldh_above_uln"] == 1  # P2 only (ULN 250)
    assert (row["mutation_status_reported"], row["braf_mutant"], row["nras_mutant"], row["ckit_mutant"]) == (
        2, 1, 1, 0,
    )  # fmt: skip
    assert row["prior_braf_mek"] == 1
    # prior PD-1 response recorded for P1, P3, P4, all PD
    assert (row["prior_icb_response_recorded"], row["prior_icb_response_PD"]) == (3, 3)
    # months on PD-1: 3, 6, 9, 12 -> mean 7.5
    assert row["months_on_pd1__mean"] == pytest.approx(7.5)
    # follow-up 12, 24, 6, 3 -> plain median (6 + 12) / 2 = 9; min 3, max 24
    assert (row["months_follow_up__median"], row["months_follow_up__min"], row["months_follow_up__max"]) == (
        9.0, 3.0, 24.0,
    )  # fmt: skip


def test_prior_agents_split_combinations(con) -> None:
    a = queries.prior_icb_agents(con)
    mm = dict(zip(a[a.disease == "mM"].agent, a[a.disease == "mM"].n, strict=True))
    # P1 nivolumab+ipilimumab, P2 pembrolizumab, P3 not recorded, P4 nivolumab
    assert mm == {
        "nivolumab": 2,
        "ipilimumab": 1,
        "pembrolizumab": 1,
        "pd1_agent_not_recorded": 1,
        "nivolumab_plus_ipilimumab": 1,
    }
    mrcc = dict(zip(a[a.disease == "mRCC"].agent, a[a.disease == "mRCC"].n, strict=True))
    # the combination is listed for every group, 0 when nobody had it
    assert mrcc == {"atezolizumab": 1, "nivolumab": 1, "nivolumab_plus_ipilimumab": 0}


def test_doses_per_cycle_pooled_over_cycles_with_a_dose(con) -> None:
    d = queries.doses_per_cycle(con)
    # mM prior_icb cycles with >= 1 dose: P1 12, 8; P2 10, 6, 8, 8, 8; P4 14 (its 0-dose cycle left out)
    # n = 8, sum 74, mean 9.25; squared deviations add up to 47.5, sample variance 47.5 / 7
    row = d[(d.disease == "mM") & (d.cohort == "prior_icb")].iloc[0]
    assert row["n_cycles"] == 8
    assert row["mean"] == pytest.approx(9.25)
    assert row["sd"] == pytest.approx((47.5 / 7) ** 0.5)
    # mRCC prior_icb: 11, 13, 12, 8, 9, 9 -> mean 62 / 6; squared deviations 19.333.. ; / 5
    row = d[(d.disease == "mRCC") & (d.cohort == "prior_icb")].iloc[0]
    assert row["mean"] == pytest.approx(62 / 6)
    assert row["sd"] == pytest.approx((116 / 6 / 5) ** 0.5)


def test_cycles_received_buckets(con) -> None:
    c = queries.cycles_received(con)
    mm = c[(c.disease == "mM") & (c.cohort == "prior_icb")]
    # P1 2, P2 5 (> 4), P3 not available, P4 1
    assert dict(zip(mm.bucket, mm.n, strict=True)) == {"1": 1, "2": 1, "more_than_4": 1, "not_available": 1}


def test_stop_toxicities_count_patients_not_rows(con) -> None:
    t = queries.stop_toxicities(con)
    mm = t[(t.disease == "mM") & (t.cohort == "prior_icb")]
    # tachycardia: 4 rows over 4 cycles of 2 patients; hypotension: 2 patients, 2 cycles
    assert _value(mm, "n_patients", toxicity_term="Tachycardia") == 2
    assert _value(mm, "n_cycles", toxicity_term="Tachycardia") == 4
    assert _value(mm, "n_patients", toxicity_term="Hypotension") == 2


def test_durability_progressed_is_a_dor_event(con) -> None:
    d = queries.durability(con)
    # P1 CR: DoR censored -> continuing; follow-up 12 months
    cr = d[(d.disease == "mM") & (d.cohort == "prior_icb") & (d.response == "CR")].iloc[0]
    assert (cr["n"], cr["progressed"], cr["continuing"], cr["follow_up_min"]) == (1, 0, 1, 12.0)
    # P2 PR: DoR event -> progressed
    pr = d[(d.disease == "mM") & (d.cohort == "prior_icb") & (d.response == "PR")].iloc[0]
    assert (pr["n"], pr["progressed"], pr["continuing"]) == (1, 1, 0)


def test_pneumonitis_case_day_and_cycle(con) -> None:
    cases = queries.pneumonitis_cases(con)
    assert len(cases) == 1
    case = cases.iloc[0]
    # onset_day 6 (days from day 1) is treatment day 7; R1's first cycle (admitted on day 1)
    # is the last admitted on or before onset: 11 of 14 planned doses given.
    assert case["patient_id"] == "R1"
    assert (case["treatment_day_of_onset"], case["doses_given"], case["doses_planned"]) == (7, 11, 14)


def test_numbers_at_risk_count_time_at_or_after(con) -> None:
    r = queries.numbers_at_risk(con, "OS", [0.0, 3.0, 6.0, 9.0, 24.0, 27.0])
    mm = r[(r.disease == "mM") & (r.cohort == "prior_icb")]
    # OS months of P1-P4: 12, 24, 6, 3 -> at risk (time >= t)
    assert list(mm.sort_values("time_months").n_at_risk) == [4, 4, 3, 2, 1, 0]


def test_at_risk_grid_covers_the_longest_time() -> None:
    assert at_risk_grid(7.0) == [0.0, 3.0, 6.0, 9.0]
    assert at_risk_grid(9.0) == [0.0, 3.0, 6.0, 9.0]
    assert at_risk_grid(0.0) == [0.0, 3.0]


def test_load_report_data_reads_everything(con) -> None:
    messages: list[str] = []
    data = load_report_data(con, messages.append)
    assert data.extract == {"extract_id": "synthetic-2018-03-31", "data_cutoff_date": "2018-03-31"}
    assert data.cox is None
    assert set(data.km_curves) == {"OS", "PFS"}
    assert messages, "progress must be reported"


def test_combination_counts_one_regimen_with_both_agents(tmp_path: Path) -> None:
    bridge = pd.DataFrame(
        [
            # P1: nivolumab and ipilimumab as two separate regimens -> not a combination
            ("P1", "L1", "nivolumab", "PD-1", DAY1 - dt.timedelta(days=200)),
            ("P1", "L2", "ipilimumab", "CTLA-4", DAY1 - dt.timedelta(days=400)),
            # P4: one regimen naming both, before day 1 -> combination
            ("P4", "L3", "nivolumab", "PD-1", DAY1 - dt.timedelta(days=100)),
            ("P4", "L3", "ipilimumab", "CTLA-4", DAY1 - dt.timedelta(days=100)),
            # R1: both in one regimen, but started after day 1 -> not prior
            ("R1", "L4", "nivolumab", "PD-1", DAY1 + dt.timedelta(days=100)),
            ("R1", "L4", "ipilimumab", "CTLA-4", DAY1 + dt.timedelta(days=100)),
        ],
        columns=["patient_id", "therapy_line_id", "agent_name", "drug_class", "start_date"],
    )
    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb", therapy_line_agents=bridge)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        a = queries.prior_icb_agents(con)
    finally:
        con.close()
    combos = a[a.agent == "nivolumab_plus_ipilimumab"]
    assert dict(zip(combos.disease, combos.n, strict=True)) == {"mM": 1, "mRCC": 0}
