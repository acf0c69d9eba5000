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

results as (

    select
        endpoints.patient_id,
        analysis_patients.disease,
        analysis_patients.cohort,
        endpoints.endpoint,
        endpoints.start_date,
        endpoints.end_date,
        endpoints.time_days,
        endpoints.time_months,
        endpoints.event,
        endpoints.reason,
        analysis_patients.site_id
    from endpoints
    inner join analysis_patients
        on endpoints.patient_id = analysis_patients.patient_id

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
