-- Grain: one row per adverse event (patient_id, ae_seq).
-- Adverse events of patients in the analysis with onset on or before the data cut-off (an AE
-- without an onset date is kept). onset_day = onset_date - day 1 in days (day 1 itself is 0;
-- the paper's "treatment day 7" is onset_day 6).

with

analysis_patients as (

    select * from {{ ref('int_analysis_patients') }}

),

adverse_events as (

    select * from {{ ref('fct_adverse_events') }}

),

results as (

    select
        adverse_events.patient_id,
        analysis_patients.disease,
        analysis_patients.cohort,
        adverse_events.ae_seq,
        adverse_events.ae_term_verbatim,
        adverse_events.preferred_term,
        adverse_events.category,
        adverse_events.ctcae_grade,
        adverse_events.is_serious,
        adverse_events.related_to_il2,
        adverse_events.is_immune_related,
        adverse_events.is_immune_related_term,
        adverse_events.is_treated_with_steroids,
        adverse_events.onset_date,
        adverse_events.resolution_date,
        {{ dbt.datediff('analysis_patients.day1_date', 'adverse_events.onset_date', 'day') }} as onset_day,
        analysis_patients.site_id
    from adverse_events
    inner join analysis_patients
        on adverse_events.patient_id = analysis_patients.patient_id
    where adverse_events.onset_date is null
        or adverse_events.onset_date <= analysis_patients.data_cutoff_date

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
