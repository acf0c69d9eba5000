-- Grain: one row per patient in the analysis (patient_id).
-- Rule "best overall response" (unconfirmed, as in the registry paper): the best of
-- CR > PR > SD > PD > NE over the visits after day 1 up to and including the first PD and
-- before any subsequent anti-cancer therapy (int_response_assessments.is_in_bor_window).
-- No assessment in that window: `NE` with a null date. best_overall_response_date is the first
-- visit with that response. first_response_date (first CR or PR in the window) starts the
-- duration of response.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

window_visits as (

    select * from response_assessments
    where is_in_bor_window

),

best_per_patient as (

    select
        patient_id,
        min(response_rank) as best_rank,
        min(case when overall_response in ('CR', 'PR') then assessment_date end) as first_response_date
    from window_visits
    group by patient_id

),

best_dated as (

    select
        best_per_patient.patient_id,
        best_per_patient.best_rank,
        best_per_patient.first_response_date,
        min(window_visits.assessment_date) as best_overall_response_date
    from best_per_patient
    inner join window_visits
        on best_per_patient.patient_id = window_visits.patient_id
            and best_per_patient.best_rank = window_visits.response_rank
    group by best_per_patient.patient_id, best_per_patient.best_rank, best_per_patient.first_response_date

),

final as (

    select
        population.patient_id,
        case best_dated.best_rank
            when 1 then 'CR'
            when 2 then 'PR'
            when 3 then 'SD'
            when 4 then 'PD'
            else 'NE'
        end as best_overall_response,
        best_dated.best_overall_response_date,
        coalesce(best_dated.best_rank in (1, 2), false) as is_objective_response,
        best_dated.first_response_date
    from population
    left join best_dated
        on population.patient_id = best_dated.patient_id

)

select * from final
