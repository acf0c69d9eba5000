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

results as (

    select
        analysis_patients.patient_id,
        analysis_patients.disease,
        analysis_patients.cohort,
        initial_response.initial_response,
        initial_response.initial_response_date,
        best_overall_response.best_overall_response,
        best_overall_response.best_overall_response_date,
        confirmed.confirmed_best_overall_response,
        best_overall_response.is_objective_response,
        best_overall_response.first_response_date,
        confirmed.has_cr_followed_by_pr,
        analysis_patients.site_id
    from analysis_patients
    inner join initial_response
        on analysis_patients.patient_id = initial_response.patient_id
    inner join best_overall_response
        on analysis_patients.patient_id = best_overall_response.patient_id
    inner join confirmed_best_overall_response as confirmed
        on analysis_patients.patient_id = confirmed.patient_id

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
