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

final as (

    select
        cast(adverse_events.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(analysis_patients.disease as {{ dbt.type_string() }}) as disease,
        cast(analysis_patients.cohort as {{ dbt.type_string() }}) as cohort,
        cast(adverse_events.ae_seq as integer) as ae_seq,
        cast(adverse_events.ae_term_verbatim as {{ dbt.type_string() }}) as ae_term_verbatim,
        cast(adverse_events.preferred_term as {{ dbt.type_string() }}) as preferred_term,
        cast(adverse_events.category as {{ dbt.type_string() }}) as category,
        cast(adverse_events.ctcae_grade as integer) as ctcae_grade,
        cast(adverse_events.is_serious as boolean) as is_serious,
        cast(adverse_events.related_to_il2 as {{ dbt.type_string() }}) as related_to_il2,
        cast(adverse_events.is_immune_related as boolean) as is_immune_related,
        cast(adverse_events.is_immune_related_term as boolean) as is_immune_related_term,
        cast(adverse_events.is_treated_with_steroids as boolean) as is_treated_with_steroids,
        cast(adverse_events.onset_date as date) as onset_date,
        cast(adverse_events.resolution_date as date) as resolution_date,
        cast({{ dbt.datediff('analysis_patients.day1_date', 'adverse_events.onset_date', 'day') }} as integer)
            as onset_day,
        cast(analysis_patients.site_id as {{ dbt.type_string() }}) as site_id
    from adverse_events
    inner join analysis_patients
        on adverse_events.patient_id = analysis_patients.patient_id
    where adverse_events.onset_date is null
        or adverse_events.onset_date <= analysis_patients.data_cutoff_date

)

select * from final
