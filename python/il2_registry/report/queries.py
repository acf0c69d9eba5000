"""The report's reads of the published marts (docs/marts.md): the paper's tables are marts.

Every figure is defined once, in a dbt model (models/marts/paper/); these functions only
select, rename and reshape.

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
    "marts.table1_best_response",
    "marts.objective_response",
    "marts.characteristics",
    "marts.il2_dosing",
    "marts.stop_toxicity_terms",
    "marts.durable_responses",
    "marts.immune_related_toxicity",
    "marts.immune_related_adverse_events",
)
OPTIONAL_RELATIONS = ("marts.cox", "core.dim_extract", "audit.site_scorecard")

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
    """Patients per disease, cohort, kind of response and response (marts.table1_best_response).

    A patient with no assessment after day 1 has no initial response: the mart counts it as
    `NE`, as the best overall response already is.
    """
    return con.execute(
        """
        select disease, cohort, response_type as kind, response, n_patients as n
        from marts.table1_best_response
        order by disease, cohort, type_order, response_order
        """
    ).df()


def objective_response(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """ORR with its exact Clopper-Pearson CI per disease (and `all`) and cohort."""
    return con.execute("select * from marts.objective_response order by disease, cohort").df()


def characteristics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per disease and cohort: marts.characteristics pivoted wide.

    Counts become a column named after the characteristic (`sex_m`, `ecog_0`, ...); summaries
    become `<column>__n`, `__mean`, `__sd`, `__min`, `__max`, `__median`.
    """
    long = con.execute(
        "select * from marts.characteristics where characteristic not like 'agent_%' order by all"
    ).df()
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for r in long.itertuples(index=False):
        row = rows.setdefault((r.disease, r.cohort), {"disease": r.disease, "cohort": r.cohort})
        if r.statistic == "count":
            row["n" if r.characteristic == "patients" else r.characteristic] = int(r.n_patients)
        else:
            c = r.characteristic
            row[f"{c}__n"] = int(r.n_patients)
            row[f"{c}__mean"], row[f"{c}__sd"], row[f"{c}__median"] = r.mean, r.sd, r.median
            row[f"{c}__min"], row[f"{c}__max"] = r.minimum, r.maximum
    frame = pd.DataFrame(list(rows.values()), columns=None if rows else ["disease", "cohort", "n"])
    expected = [f"{c}__{stat}" for c in (*NUMERIC_CHARACTERISTICS, "months_follow_up")
                for stat in ("n", "mean", "sd", "median", "min", "max")]  # fmt: skip
    for column in expected:  # a column with no value in any group has no summary row
        if column not in frame.columns:
            frame[column] = float("nan")
    return frame


def prior_icb_agents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients of the prior_icb cohort per checkpoint agent (a patient may count under several).

    `nivolumab_plus_ipilimumab` counts patients given both in one regimen before day 1
    (marts.characteristics, `agent_*`).
    """
    return con.execute(
        """
        select disease, substr(characteristic, 7) as agent, n_patients as n
        from marts.characteristics
        where cohort = 'prior_icb' and characteristic like 'agent_%'
        order by disease, n desc, agent
        """
    ).df()


def doses_per_cycle(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Doses given per cycle, pooled over every cycle with at least one dose (sample SD)."""
    return con.execute(
        """
        select disease, cohort, n as n_cycles, n_patients, mean, sd, minimum as min, maximum as max
        from marts.il2_dosing
        where measure = 'doses_per_cycle'
        order by all
        """
    ).df()


def cycles_received(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients per number of cycles received: 1, 2, 3, 4, more_than_4, 0, not_available."""
    return con.execute(
        """
        select disease, cohort, category as bucket, n
        from marts.il2_dosing
        where measure = 'cycles_received'
        order by all
        """
    ).df()


def stop_toxicities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Patients (and cycles) with each toxicity that led to stopping HD IL-2, per disease."""
    return con.execute(
        """
        select disease, cohort, toxicity_term, n_patients, n_cycles
        from marts.stop_toxicity_terms
        where disease <> 'all'
        order by disease, cohort, n_patients desc, toxicity_term
        """
    ).df()


def durability(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Responders (unconfirmed BOR CR or PR): how many had a DoR event by the data lock."""
    return con.execute(
        """
        select disease, cohort, best_overall_response as response, n_responders as n,
            n_progressed as progressed, n_continuing as continuing,
            min_months_follow_up as follow_up_min, max_months_follow_up as follow_up_max
        from marts.durable_responses
        order by all
        """
    ).df()


def immune_related_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Immune-related adverse events per disease and cohort, by the site's flag and by the term."""
    return con.execute("select * from marts.immune_related_toxicity order by disease, cohort").df()


def pneumonitis_cases(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Pneumonitis in the prior_icb cohort, with the HD IL-2 cycle at onset
    (marts.immune_related_adverse_events: the last cycle admitted on or before onset)."""
    return con.execute(
        """
        select patient_id, disease, cohort, ae_seq, preferred_term, ctcae_grade, is_immune_related,
            is_treated_with_steroids, onset_day, prior_icb_agents, has_prior_pdl1, onset_date,
            treatment_day as treatment_day_of_onset, cycle_doses_given as doses_given,
            cycle_doses_planned as doses_planned
        from marts.immune_related_adverse_events
        where cohort = 'prior_icb' and lower(preferred_term) like '%pneumonitis%'
        order by onset_day, patient_id
        """
    ).df()


def site_scorecard(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """audit.site_scorecard, or None for a warehouse without it."""
    if "audit.site_scorecard" not in existing_relations(con):
        return None
    return con.execute("select * from audit.site_scorecard order by site_id").df()


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
