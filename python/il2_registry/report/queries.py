"""SQL over the published marts (MARTS.md, interface v1), aggregated in DuckDB.

Every function takes an open (read-only) connection and returns a small DataFrame: the
aggregation happens in the database, so a million-patient warehouse never reaches pandas
row by row. Rows are always grouped by `disease` and `cohort` where that applies.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

REQUIRED_RELATIONS = (
    "marts.cohort",
    "marts.best_response",
    "marts.survival",
    "marts.il2_cycles",
    "marts.stop_toxicities",
    "marts.adverse_events",
    "marts.km_curves",
    "marts.km_summary",
    "marts.logrank",
)
OPTIONAL_RELATIONS = ("marts.cox", "core.dim_extract")

# Summaries "mean (min-max)" of these cohort columns, in the order the report lists them.
NUMERIC_CHARACTERISTICS = (
    "age_at_day1",
    "ldh_value",
    "n_metastatic_sites",
    "months_metastatic_dx_to_day1",
    "months_on_pd1",
    "months_pd1_end_to_day1",
    "months_il2_treatment",
    "mean_doses_per_cycle",
)


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select table_schema || '.' || table_name from information_schema.tables").fetchall()
    return {r[0] for r in rows}


def missing_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = existing_relations(con)
    return [r for r in REQUIRED_RELATIONS if r not in present]


def extract_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The extract the warehouse was built from (core.dim_extract), or 'unknown'."""
    if "core.dim_extract" not in existing_relations(con):
        return {"extract_id": "unknown", "data_cutoff_date": "unknown"}
    row = con.execute("select extract_id, data_cutoff_date from core.dim_extract limit 1").fetchone()
    if row is None:
        return {"extract_id": "unknown", "data_cutoff_date": "unknown"}
    return {"extract_id": str(row[0]), "data_cutoff_date": str(row[1])}


def cohort_sizes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "select disease, cohort, count(*) as n from marts.cohort group by all order by all"
    ).df()


def response_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients per disease, cohort, kind of response and response.

    A patient with no assessment after day 1 has no initial response: counted as `NE`, as
    the best overall response already is.
    """
    return con.execute(
        """
        with responses as (
            select disease, cohort, 'initial_response' as kind,
                coalesce(initial_response, 'NE') as response
            from marts.best_response
            union all
            select disease, cohort, 'best_overall_response',
                coalesce(best_overall_response, 'NE')
            from marts.best_response
            union all
            select disease, cohort, 'confirmed_best_overall_response',
                coalesce(confirmed_best_overall_response, 'NE')
            from marts.best_response
        )
        select disease, cohort, kind, response, count(*) as n
        from responses
        group by all
        order by all
        """
    ).df()


def _numeric_aggregates(columns: Sequence[str]) -> str:
    parts = []
    for c in columns:
        parts.append(
            f"count({c}) as {c}__n, avg({c}) as {c}__mean, stddev_samp({c}) as {c}__sd, "
            f"min({c}) as {c}__min, max({c}) as {c}__max, median({c}) as {c}__median"
        )
    return ",\n            ".join(parts)


def characteristics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per disease and cohort: counts and numeric summaries of marts.cohort."""
    numeric = _numeric_aggregates((*NUMERIC_CHARACTERISTICS, "months_follow_up"))
    return con.execute(
        f"""
        select
            disease,
            cohort,
            count(*) as n,
            count(*) filter (where sex = 'M') as sex_m,
            count(*) filter (where sex = 'F') as sex_f,
            count(*) filter (where sex is null or sex not in ('M', 'F')) as sex_u,
            count(*) filter (where ecog = 0) as ecog_0,
            count(*) filter (where ecog = 1) as ecog_1,
            count(*) filter (where ecog >= 2) as ecog_2plus,
            count(*) filter (where ecog is null) as ecog_missing,
            count(*) filter (where n_metastatic_sites >= 3) as sites_3plus,
            count(*) filter (where ldh_value > ldh_uln) as ldh_above_uln,
            count(*) filter (where is_mutation_status_reported) as mutation_status_reported,
            count(*) filter (where upper(braf_status) = 'MUTANT') as braf_mutant,
            count(*) filter (where upper(nras_status) = 'MUTANT') as nras_mutant,
            count(*) filter (where upper(ckit_status) = 'MUTANT') as ckit_mutant,
            count(*) filter (where has_prior_pd1) as prior_pd1,
            count(*) filter (where has_prior_pdl1) as prior_pdl1,
            count(*) filter (where has_prior_ctla4) as prior_ctla4,
            count(*) filter (where has_prior_braf_mek) as prior_braf_mek,
            count(*) filter (where has_prior_vegf_tki) as prior_vegf_tki,
            count(prior_icb_best_response) as prior_response_recorded,
            count(*) filter (where prior_icb_best_response = 'CR') as prior_response_cr,
            count(*) filter (where prior_icb_best_response = 'PR') as prior_response_pr,
            count(*) filter (where prior_icb_best_response = 'SD') as prior_response_sd,
            count(*) filter (where prior_icb_best_response = 'PD') as prior_response_pd,
            count(*) filter (where prior_icb_best_response = 'NE') as prior_response_ne,
            {numeric}
        from marts.cohort
        group by all
        order by all
        """
    ).df()


def prior_icb_agents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients of the prior_icb cohort per checkpoint agent (a patient may count under several).

    `nivolumab_plus_ipilimumab` counts patients who had both agents in one regimen started
    before day 1 (core.fct_therapy_line_agents, the regimen x agent bridge); a warehouse
    without that bridge falls back to patients whose agents before day 1 include both.
    """
    if "core.fct_therapy_line_agents" in existing_relations(con):
        combination = """
            select c.disease, 'nivolumab_plus_ipilimumab' as agent, count(distinct c.patient_id) as n
            from marts.cohort as c
            join (
                select patient_id, therapy_line_id, min(start_date) as start_date
                from core.fct_therapy_line_agents
                group by all
                having bool_or(agent_name = 'nivolumab') and bool_or(agent_name = 'ipilimumab')
            ) as r on r.patient_id = c.patient_id and r.start_date < c.day1_date
            where c.cohort = 'prior_icb'
            group by all
        """
    else:
        combination = """
            select disease, 'nivolumab_plus_ipilimumab' as agent, count(*) as n
            from agents
            where list_contains(agent_list, 'nivolumab') and list_contains(agent_list, 'ipilimumab')
            group by all
        """
    return con.execute(
        f"""
        with agents as (
            select disease, patient_id,
                list_distinct(string_split(lower(coalesce(prior_icb_agents, '')), '+')) as agent_list
            from marts.cohort
            where cohort = 'prior_icb'
        ),
        single as (
            select disease, trim(agent) as agent, count(distinct patient_id) as n
            from agents, unnest(agent_list) as t(agent)
            where trim(agent) <> ''
            group by all
        ),
        combination as ({combination})
        select * from single
        union all
        select * from combination
        order by disease, n desc, agent
        """
    ).df()


def doses_per_cycle(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Doses given per cycle, pooled over every cycle with at least one dose (sample SD)."""
    return con.execute(
        """
        select disease, cohort,
            count(*) as n_cycles,
            count(distinct patient_id) as n_patients,
            avg(doses_given) as mean,
            stddev_samp(doses_given) as sd,
            min(doses_given) as min,
            max(doses_given) as max
        from marts.il2_cycles
        where doses_given >= 1
        group by all
        order by all
        """
    ).df()


def cycles_received(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients per number of cycles received: 1, 2, 3, 4, more_than_4, 0, not_available."""
    return con.execute(
        """
        select disease, cohort,
            case
                when cycles_received is null then 'not_available'
                when cycles_received > 4 then 'more_than_4'
                else cast(cast(cycles_received as bigint) as varchar)
            end as bucket,
            count(*) as n
        from marts.cohort
        group by all
        order by all
        """
    ).df()


def stop_toxicities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients (and cycles) with each toxicity that led to stopping HD IL-2."""
    return con.execute(
        """
        select disease, cohort, toxicity_term,
            count(distinct patient_id) as n_patients,
            count(distinct (patient_id, course_number, cycle_in_course)) as n_cycles
        from marts.stop_toxicities
        group by all
        order by disease, cohort, n_patients desc, toxicity_term
        """
    ).df()


def durability(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Responders (unconfirmed BOR CR or PR): how many had a DoR event by the data lock."""
    return con.execute(
        """
        select r.disease, r.cohort, r.best_overall_response as response,
            count(*) as n,
            count(*) filter (where d.event = 1) as progressed,
            count(*) filter (where coalesce(d.event, 0) = 0) as continuing,
            min(c.months_follow_up) as follow_up_min,
            max(c.months_follow_up) as follow_up_max
        from marts.best_response as r
        left join marts.survival as d
            on d.patient_id = r.patient_id and d.endpoint = 'DOR'
        left join marts.cohort as c
            on c.patient_id = r.patient_id
        where r.best_overall_response in ('CR', 'PR')
        group by all
        order by all
        """
    ).df()


def immune_related_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients and events with an immune-related adverse event, per disease and cohort."""
    return con.execute(
        """
        select disease, cohort,
            count(distinct patient_id) as n_patients,
            count(*) as n_events
        from marts.adverse_events
        where is_immune_related
        group by all
        order by all
        """
    ).df()


def pneumonitis_cases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pneumonitis in the prior_icb cohort, with the HD IL-2 cycle it arose in.

    The cycle is the last one admitted on or before the onset date (day 1 + onset_day).
    Treatment day = onset_day + 1: the paper counts the first dose day as treatment day 1.
    """
    return con.execute(
        """
        with cases as (
            select a.patient_id, a.disease, a.cohort, a.ae_seq, a.preferred_term,
                a.ctcae_grade, a.is_immune_related, a.is_treated_with_steroids, a.onset_day,
                c.prior_icb_agents, c.has_prior_pdl1,
                c.day1_date + cast(a.onset_day as integer) as onset_date
            from marts.adverse_events as a
            join marts.cohort as c on c.patient_id = a.patient_id
            where a.cohort = 'prior_icb' and lower(a.preferred_term) like '%pneumonitis%'
        ),
        cycle_at_onset as (
            select cases.patient_id, cases.ae_seq,
                arg_max(y.doses_given, y.admission_date) as doses_given,
                arg_max(y.doses_planned, y.admission_date) as doses_planned
            from cases
            join marts.il2_cycles as y
                on y.patient_id = cases.patient_id and y.admission_date <= cases.onset_date
            group by all
        )
        select cases.*, cases.onset_day + 1 as treatment_day_of_onset,
            cycle_at_onset.doses_given, cycle_at_onset.doses_planned
        from cases
        left join cycle_at_onset using (patient_id, ae_seq)
        order by cases.onset_day, cases.patient_id
        """
    ).df()


def km_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("select * from marts.km_summary order by endpoint, disease, cohort").df()


def logrank(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("select * from marts.logrank order by endpoint, disease").df()


def cox(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """marts.cox as written by the survival step, or None when the warehouse has none."""
    if "marts.cox" not in existing_relations(con):
        return None
    return con.execute("select * from marts.cox").df()


def km_curves(con: duckdb.DuckDBPyConnection, endpoint: str) -> pd.DataFrame:
    """The Kaplan-Meier step points of one endpoint (one row per distinct time and group)."""
    return con.execute(
        """
        select disease, cohort, time_months, survival, ci_lower, ci_upper,
            n_at_risk, n_events, n_censored
        from marts.km_curves
        where endpoint = ?
        order by disease, cohort, time_months
        """,
        [endpoint],
    ).df()


def max_follow_up_months(con: duckdb.DuckDBPyConnection, endpoint: str) -> pd.DataFrame:
    return con.execute(
        """
        select disease, max(time_months) as max_months
        from marts.survival where endpoint = ? group by all order by all
        """,
        [endpoint],
    ).df()


def numbers_at_risk(
    con: duckdb.DuckDBPyConnection, endpoint: str, grid_months: Sequence[float]
) -> pd.DataFrame:
    """Patients still at risk (time >= t) at each grid time, per disease and cohort."""
    grid = pd.DataFrame({"t": [float(t) for t in grid_months]})
    con.register("report_at_risk_grid", grid)
    try:
        return con.execute(
            """
            select s.disease, s.cohort, g.t as time_months,
                count(*) filter (where s.time_months >= g.t) as n_at_risk
            from marts.survival as s
            cross join report_at_risk_grid as g
            where s.endpoint = ?
            group by all
            order by all
            """,
            [endpoint],
        ).df()
    finally:
        con.unregister("report_at_risk_grid")
