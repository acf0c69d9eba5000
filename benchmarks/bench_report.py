"""Benchmark `il2reg report`: wall time and peak memory of the report process.

    .venv/bin/python benchmarks/bench_report.py --warehouse path/to/il2_registry.duckdb
    .venv/bin/python benchmarks/bench_report.py --patients 1000000   # builds a marts-only warehouse

With --warehouse it times the report on a real warehouse (e.g. a 1M-patient `dbt build`).
Without, it first writes a warehouse holding only the relations the report reads (MARTS.md
columns, random but plausible values, Kaplan-Meier curves computed in SQL) into /tmp, so the
report can be timed at any size without the generator and dbt. Prints its figures; asserts none.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

BIN = Path(sys.executable).parent

MARTS_SQL = """
select setseed(0.2018);
create schema marts; create schema core;
create table core.dim_extract as
    select 'bench-{n}' as extract_id, date '2018-03-31' as data_cutoff_date,
        '2018-04-02T09:15:00Z' as created_at, 1 as contract_version, '/nonexistent' as extract_dir;
create table marts.cohort as
select
    'P' || lpad(cast(i as varchar), 7, '0') as patient_id,
    'S' || lpad(cast(i % 40 as varchar), 3, '0') as site_id,
    case when i % 3 = 0 then 'mRCC' else 'mM' end as disease,
    case when i % 20 = 0 then 'prior_icb' else 'il2_alone' end as cohort,
    date '2008-01-01' + cast(i % 3500 as integer) as day1_date,
    30 + i % 61 as age_at_day1,
    case i % 7 when 0 then 'F' when 1 then 'F' when 2 then 'F' else 'M' end as sex,
    i % 3 as ecog,
    1 + i % 6 as n_metastatic_sites,
    100 + (i * 7919) % 900 as ldh_value,
    250.0 as ldh_uln,
    case when i % 3 = 0 then null when i % 11 = 0 then 'MUTANT' else 'WILD_TYPE' end as braf_status,
    case when i % 3 = 0 then null when i % 13 = 0 then 'MUTANT' else 'WILD_TYPE' end as nras_status,
    case when i % 3 = 0 then null when i % 17 = 0 then 'MUTANT' else 'NOT_TESTED' end as ckit_status,
    i % 3 <> 0 and i % 4 = 0 as is_mutation_status_reported,
    i % 20 = 0 and i % 7 <> 0 as has_prior_pd1,
    i % 20 = 0 and i % 7 = 0 as has_prior_pdl1,
    i % 9 = 0 as has_prior_ctla4,
    i % 3 <> 0 and i % 8 = 0 as has_prior_braf_mek,
    i % 3 = 0 and i % 5 = 0 as has_prior_vegf_tki,
    case when i % 20 <> 0 then null when i % 7 = 0 then 'atezolizumab'
         when i % 5 = 0 then 'nivolumab+ipilimumab' when i % 2 = 0 then 'nivolumab'
         else 'pembrolizumab' end as prior_icb_agents,
    case when i % 20 = 0 and i % 3 <> 0 then 'PD' end as prior_icb_best_response,
    random() * 60 as months_metastatic_dx_to_day1,
    case when i % 20 = 0 then 0.5 + random() * 24 end as months_on_pd1,
    case when i % 20 = 0 then 0.3 + random() * 12 end as months_pd1_end_to_day1,
    case when i % 10 = 0 then null else 1 + i % 6 end as cycles_received,
    6 + random() * 8 as mean_doses_per_cycle,
    0.1 + random() * 6 as months_il2_treatment,
    random() * 96 as months_follow_up
from range({n}) as t(i);
create table marts.best_response as
select patient_id, disease, cohort,
    r1 as initial_response, day1_date + 56 as initial_response_date,
    r2 as best_overall_response, day1_date + 84 as best_overall_response_date,
    r2 as confirmed_best_overall_response, r2 in ('CR', 'PR') as is_objective_response
from (
    select *, ['CR', 'PR', 'SD', 'PD', 'NE'][1 + cast(floor(random() * 5) as integer)] as r1,
        ['CR', 'PR', 'SD', 'SD', 'PD', 'PD', 'PD', 'NE'][1 + cast(floor(random() * 8) as integer)] as r2
    from marts.cohort
);
create table marts.survival as
with base as (
    select c.patient_id, c.disease, c.cohort, c.day1_date, e.endpoint,
        least(cast(-ln(1 - random()) * e.scale * 30.4375 as integer), 2900) as time_days,
        case when random() < 0.7 then 1 else 0 end as event
    from marts.cohort as c
    cross join (values ('OS', 22.0), ('PFS', 5.0), ('DOR', 30.0)) as e(endpoint, scale)
    join marts.best_response as b using (patient_id)
    where e.endpoint <> 'DOR' or b.is_objective_response
)
select patient_id, disease, cohort, endpoint, day1_date as start_date,
    day1_date + cast(time_days as integer) as end_date, time_days, time_days / 30.4375 as time_months, event,
    case when event = 1 then 'death' else 'last_contact' end as reason
from base;
create table marts.il2_cycles as
select c.patient_id, c.disease, c.cohort, 1 + (k - 1) // 2 as course_number,
    1 + (k - 1) % 2 as cycle_in_course, k as cycle_seq,
    c.day1_date + cast(14 * (k - 1) as integer) as admission_date,
    600000 as dose_level_iu_per_kg, 14 as doses_planned,
    cast(floor(random() * 15) as integer) as doses_given,
    'TOXICITY' as stop_reason
from marts.cohort as c, range(1, 1 + coalesce(c.cycles_received, 0)) as t(k);
create table marts.stop_toxicities as
select patient_id, disease, cohort, course_number, cycle_in_course,
    'verbatim' as toxicity_verbatim,
    ['Hypotension', 'Tachycardia', 'Diarrhea', 'Hypoxia', 'Thrombocytopenia', 'Rigors',
     'Capillary leak syndrome', 'Confusion', 'Mental fatigue', 'Pruritus']
        [1 + cast(floor(random() * 10) as integer)] as toxicity_term,
    'other' as toxicity_category
from marts.il2_cycles where doses_given < 14 and random() < 0.5;
create table marts.adverse_events as
select patient_id, disease, cohort, 1 as ae_seq, 'low BP' as ae_term_verbatim,
    case when random() < 0.001 then 'Pneumonitis' else 'Hypotension' end as preferred_term,
    'other' as category, 2 as ctcae_grade, false as is_serious, random() < 0.01 as is_immune_related,
    false as is_treated_with_steroids, cast(random() * 10 as integer) as onset_day
from marts.cohort where random() < 0.8;
create table marts.km_curves as
with times as (
    select disease, cohort, endpoint, time_months,
        count(*) filter (where event = 1) as n_events, count(*) filter (where event = 0) as n_censored
    from marts.survival group by all
    union all
    select distinct disease, cohort, endpoint, 0.0, 0, 0 from marts.survival
),
merged as (
    select disease, cohort, endpoint, time_months, sum(n_events) as n_events, sum(n_censored) as n_censored
    from times group by all
),
at_risk as (
    select *, sum(n_events + n_censored) over (
        partition by disease, cohort, endpoint order by time_months desc
        rows between unbounded preceding and current row) as n_at_risk
    from merged
),
km as (
    select *, exp(sum(ln(greatest(1 - n_events / n_at_risk, 1e-12))) over (
        partition by disease, cohort, endpoint order by time_months)) as survival
    from at_risk
)
select disease, cohort, endpoint, time_months, survival,
    greatest(survival - 0.02, 0) as ci_lower, least(survival + 0.02, 1) as ci_upper,
    cast(n_at_risk as integer) as n_at_risk, cast(n_events as integer) as n_events,
    cast(n_censored as integer) as n_censored, 'log-log' as conf_type
from km;
create table marts.km_summary as
select disease, cohort, endpoint, max(n_at_risk) as n, sum(n_events) as n_events,
    min(time_months) filter (where survival <= 0.5) as median_months,
    min(time_months) filter (where ci_lower <= 0.5) as median_ci_lower,
    min(time_months) filter (where ci_upper <= 0.5) as median_ci_upper,
    'log-log' as conf_type
from marts.km_curves group by all;
create table marts.logrank as
select distinct disease, endpoint, 1.0 as chi_square, 0.3173 as p_value from marts.survival;
"""


def build_marts_only_warehouse(path: Path, patients: int) -> float:
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    try:
        con.execute(MARTS_SQL.format(n=patients))
    finally:
        con.close()
    return time.perf_counter() - started


def time_report(warehouse: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one `il2reg report` process."""
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "il2reg"), "report", "--warehouse", str(warehouse), "--out", str(out)],
        text=True,
        capture_output=True,
        env={**os.environ},
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"report failed:\n{result.stderr}")
    sys.stderr.write(result.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to report on")
    parser.add_argument("--patients", type=int, default=1_000_000, help="size of the marts-only warehouse")
    parser.add_argument("--out", type=Path, help="report folder [default: a temporary folder]")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="il2-bench-report-") as tmp:
        warehouse = args.warehouse
        if warehouse is None:
            warehouse = Path(tmp) / "marts_only.duckdb"
            seconds = build_marts_only_warehouse(warehouse, args.patients)
            print(f"built marts-only warehouse: {args.patients:,} patients in {seconds:.1f}s")
        con = duckdb.connect(str(warehouse), read_only=True)
        patients = con.execute("select count(*) from marts.cohort").fetchone()[0]
        curve_rows = con.execute("select count(*) from marts.km_curves").fetchone()[0]
        con.close()
        out = args.out or Path(tmp) / "report"
        seconds, peak_mib = time_report(warehouse, out)
        page_kib = (out / "report.html").stat().st_size / 1024
        print(f"warehouse: {warehouse} ({patients:,} patients, {curve_rows:,} km_curves rows)")
        print(f"report: {seconds:.1f}s wall, peak RSS {peak_mib:.0f} MiB, page {page_kib:.0f} KiB")


if __name__ == "__main__":
    main()
