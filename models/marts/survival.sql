-- Grain: one row per patient and endpoint (patient_id, endpoint).
-- The inputs of the survival step: overall survival and progression-free survival for every
-- patient in the analysis, duration of response for responders only. Each endpoint's rule is
-- its own model (int_overall_survival, int_progression_free_survival, int_duration_of_response).

with

analysis_patients as (

    select * from {{ ref('int_analysis_patients') }}

),

overall_survival as (

    select * from {{ ref('int_overall_survival') }}

),

progression_free_survival as (

    select * from {{ ref('int_progression_free_survival') }}

),

duration_of_response as (

    select * from {{ ref('int_duration_of_response') }}

),

endpoints as (

    select 'OS' as endpoint, patient_id, start_date, end_date, time_days, time_months, event, reason
    from overall_survival

    union all

    select 'PFS' as endpoint, patient_id, start_date, end_date, time_days, time_months, event, reason
    from progression_free_survival

    union all

    select 'DOR' as endpoint, patient_id, start_date, end_date, time_days, time_months, event, reason
    from duration_of_response

),

final as (

    select
        cast(endpoints.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(analysis_patients.disease as {{ dbt.type_string() }}) as disease,
        cast(analysis_patients.cohort as {{ dbt.type_string() }}) as cohort,
        cast(endpoints.endpoint as {{ dbt.type_string() }}) as endpoint,
        cast(endpoints.start_date as date) as start_date,
        cast(endpoints.end_date as date) as end_date,
        cast(endpoints.time_days as integer) as time_days,
        cast(endpoints.time_months as double) as time_months,
        cast(endpoints.event as integer) as event,
        cast(endpoints.reason as {{ dbt.type_string() }}) as reason,
        cast(analysis_patients.site_id as {{ dbt.type_string() }}) as site_id
    from endpoints
    inner join analysis_patients
        on endpoints.patient_id = analysis_patients.patient_id

)

select * from final
