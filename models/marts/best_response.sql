-- Grain: one row per patient in the analysis (patient_id).
-- Responses to HD IL-2: initial response (int_initial_response), unconfirmed best overall
-- response as in the paper (int_best_overall_response), RECIST 1.1 confirmed BOR
-- (int_confirmed_best_overall_response).

with

analysis_patients as (

    select * from {{ ref('int_analysis_patients') }}

),

initial_response as (

    select * from {{ ref('int_initial_response') }}

),

best_overall_response as (

    select * from {{ ref('int_best_overall_response') }}

),

confirmed_best_overall_response as (

    select * from {{ ref('int_confirmed_best_overall_response') }}

),

final as (

    select
        cast(analysis_patients.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(analysis_patients.disease as {{ dbt.type_string() }}) as disease,
        cast(analysis_patients.cohort as {{ dbt.type_string() }}) as cohort,
        cast(initial_response.initial_response as {{ dbt.type_string() }}) as initial_response,
        cast(initial_response.initial_response_date as date) as initial_response_date,
        cast(best_overall_response.best_overall_response as {{ dbt.type_string() }}) as best_overall_response,
        cast(best_overall_response.best_overall_response_date as date) as best_overall_response_date,
        cast(confirmed.confirmed_best_overall_response as {{ dbt.type_string() }}) as confirmed_best_overall_response,
        cast(best_overall_response.is_objective_response as boolean) as is_objective_response,
        cast(best_overall_response.first_response_date as date) as first_response_date,
        cast(confirmed.has_cr_followed_by_pr as boolean) as has_cr_followed_by_pr,
        cast(analysis_patients.site_id as {{ dbt.type_string() }}) as site_id
    from analysis_patients
    inner join initial_response
        on analysis_patients.patient_id = initial_response.patient_id
    inner join best_overall_response
        on analysis_patients.patient_id = best_overall_response.patient_id
    inner join confirmed_best_overall_response as confirmed
        on analysis_patients.patient_id = confirmed.patient_id

)

select * from final
