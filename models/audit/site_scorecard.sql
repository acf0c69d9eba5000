{#- Grain: one row per site of the extract (core.dim_site). Data quality site by site, for the
    registry's data managers (docs/data_quality.md, "Site scorecard"):
    - patients (core) and patients in the analysis;
    - rows read and rejected, in total and per file (rows_read_<file>, rows_rejected_<file>);
      per reason and per check: audit.site_quality_counts;
    - findings (audit.findings) in total and per patient;
    - completeness of the key fields, % of the site's patients: day 1 (core.dim_patient), baseline
      LDH and ECOG (core.fct_baseline_assessments), a response (an assessment after day 1:
      marts.best_response.initial_response, % of patients in the analysis) and a vital status
      (a follow-up contact with a vital status, core.fct_follow_up_contacts);
    - days from each living patient's last contact (marts.cohort.follow_up_end_date of patients
      whose OS is censored) to the data cut-off: plain median and % over 180 days. -#}
{%- set stale_days = 180 -%}
with sites as (
    select * from {{ ref('dim_site') }}
),

patients as (
    select * from {{ ref('dim_patient') }}
),

baseline as (
    select * from {{ ref('fct_baseline_assessments') }}
),

follow_up_contacts as (
    select * from {{ ref('fct_follow_up_contacts') }}
),

extract as (
    select * from {{ ref('dim_extract') }}
),

cohort as (
    select * from {{ ref('cohort') }}
),

best_response as (
    select * from {{ ref('best_response') }}
),

overall_survival as (
    select * from {{ ref('survival') }}
    where endpoint = 'OS'
),

quality_counts as (
    select * from {{ ref('site_quality_counts') }}
),

vital_status_recorded as (
    select distinct patient_id
    from follow_up_contacts
    where vital_status is not null
),

patient_completeness as (
    select
        patients.site_id,
        count(*) as n_patients,
        sum(case when patients.day1_date is not null then 1 else 0 end) as n_with_day1,
        sum(case when baseline.ldh_value is not null then 1 else 0 end) as n_with_baseline_ldh,
        sum(case when baseline.ecog is not null then 1 else 0 end) as n_with_baseline_ecog,
        sum(case when vital_status_recorded.patient_id is not null then 1 else 0 end) as n_with_vital_status
    from patients
    left join baseline
        on patients.patient_id = baseline.patient_id
    left join vital_status_recorded
        on patients.patient_id = vital_status_recorded.patient_id
    group by patients.site_id
),

analysis_completeness as (
    select
        cohort.site_id,
        count(*) as n_patients_in_analysis,
        sum(case when best_response.initial_response is not null then 1 else 0 end) as n_with_response
    from cohort
    left join best_response
        on cohort.patient_id = best_response.patient_id
    group by cohort.site_id
),

days_since_contact as (
    select
        cohort.site_id,
        {{ dbt.datediff('cohort.follow_up_end_date', 'extract.data_cutoff_date', 'day') }} as days
    from cohort
    inner join overall_survival
        on cohort.patient_id = overall_survival.patient_id
    cross join extract
    where overall_survival.event = 0
),

days_ordered as (
    select
        site_id,
        days,
        row_number() over (partition by site_id order by days) as position,
        count(*) over (partition by site_id) as n_values
    from days_since_contact
),

contact_recency as (
    select
        site_id,
        count(*) as n_patients_alive,
        -- the plain median: the middle value, or the mean of the two middle values
        avg(
            case
                when position in (
                        cast(floor((n_values + 1) / 2.0) as integer),
                        cast(ceiling((n_values + 1) / 2.0) as integer)
                    ) then cast(days as double)
            end
        ) as median_days_since_last_contact,
        sum(case when days > {{ stale_days }} then 1 else 0 end) as n_over_180_days
    from days_ordered
    group by site_id
),

file_counts as (
    select
        site_id,
        sum(case when measure = 'rows_read' then n else 0 end) as rows_read,
        sum(case when measure = 'rows_rejected' then n else 0 end) as rows_rejected,
        sum(case when measure = 'findings' then n else 0 end) as n_findings
        {%- for file_name, model in registry_checked_files() %},
        sum(case when measure = 'rows_read' and file = '{{ file_name }}' then n else 0 end)
            as rows_read_{{ file_name[:-4] }},
        sum(case when measure = 'rows_rejected' and file = '{{ file_name }}' then n else 0 end)
            as rows_rejected_{{ file_name[:-4] }}
    {%- endfor %}
    from quality_counts
    where site_id is not null
    group by site_id
),

final as (
    select
        cast(sites.site_id as {{ dbt.type_string() }}) as site_id,
        cast(sites.site_name as {{ dbt.type_string() }}) as site_name,
        cast(coalesce(patient_completeness.n_patients, 0) as {{ dbt.type_bigint() }}) as n_patients,
        cast(coalesce(analysis_completeness.n_patients_in_analysis, 0) as {{ dbt.type_bigint() }})
            as n_patients_in_analysis,
        cast(coalesce(file_counts.rows_read, 0) as {{ dbt.type_bigint() }}) as rows_read,
        cast(coalesce(file_counts.rows_rejected, 0) as {{ dbt.type_bigint() }}) as rows_rejected,
        cast(
            case when file_counts.rows_read > 0 then 100.0 * file_counts.rows_rejected / file_counts.rows_read end
            as double
        ) as pct_rows_rejected,
        cast(coalesce(file_counts.n_findings, 0) as {{ dbt.type_bigint() }}) as n_findings,
        cast(
            case
                when patient_completeness.n_patients > 0
                    then 1.0 * coalesce(file_counts.n_findings, 0) / patient_completeness.n_patients
            end as double
        ) as findings_per_patient,
        {%- for column in ['day1', 'baseline_ldh', 'baseline_ecog', 'vital_status'] %}
        cast(
            case
                when patient_completeness.n_patients > 0
                    then 100.0 * patient_completeness.n_with_{{ column }} / patient_completeness.n_patients
            end as double
        ) as pct_with_{{ column }},
        {%- endfor %}
        cast(
            case
                when analysis_completeness.n_patients_in_analysis > 0
                    then 100.0 * analysis_completeness.n_with_response / analysis_completeness.n_patients_in_analysis
            end as double
        ) as pct_with_response,
        cast(coalesce(contact_recency.n_patients_alive, 0) as {{ dbt.type_bigint() }}) as n_patients_alive,
        cast(contact_recency.median_days_since_last_contact as double) as median_days_since_last_contact,
        cast(
            case
                when contact_recency.n_patients_alive > 0
                    then 100.0 * contact_recency.n_over_180_days / contact_recency.n_patients_alive
            end as double
        ) as pct_over_180_days_since_last_contact
        {%- for file_name, model in registry_checked_files() %},
        cast(coalesce(file_counts.rows_read_{{ file_name[:-4] }}, 0) as {{ dbt.type_bigint() }})
            as rows_read_{{ file_name[:-4] }},
        cast(coalesce(file_counts.rows_rejected_{{ file_name[:-4] }}, 0) as {{ dbt.type_bigint() }})
            as rows_rejected_{{ file_name[:-4] }}
    {%- endfor %}
    from sites
    left join patient_completeness
        on sites.site_id = patient_completeness.site_id
    left join analysis_completeness
        on sites.site_id = analysis_completeness.site_id
    left join contact_recency
        on sites.site_id = contact_recency.site_id
    left join file_counts
        on sites.site_id = file_counts.site_id
)

select * from final

-- jinja inside the select list: sqlfluff cannot place its indentation here
-- sqlfluff:exclude_rules:LT09,RF04,ST06,AM04,LT14,ST09,AM03,AM06,RF02,AL09,LT02
