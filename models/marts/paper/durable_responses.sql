-- Grain: one row per disease, cohort and best overall response (CR, PR).
-- Durability of responses at the data lock (the paper: "None of the melanoma patients who had
-- a CR had progressed at the time of the database lock ... 3/5 PRs in melanoma were
-- continuing"). Responders = unconfirmed BOR CR or PR (marts.best_response); "progressed" = the
-- duration of response (marts.survival, endpoint DOR) ends in an event (progression, death or
-- subsequent therapy), "continuing" = censored. Every responder has a DOR row by rule
-- (int_duration_of_response), so responders are kept by a left join and one without a DOR row
-- is counted apart (n_without_duration_of_response, tested to be 0), never as continuing.

with

best_response as (

    select * from {{ ref('best_response') }}
    where best_overall_response in ('CR', 'PR')

),

duration_of_response as (

    select * from {{ ref('survival') }}
    where endpoint = 'DOR'

),

cohort as (

    select * from {{ ref('cohort') }}

),

results as (

    select
        best_response.disease,
        best_response.cohort,
        best_response.best_overall_response,
        count(*) as n_responders,
        sum(case when duration_of_response.event = 1 then 1 else 0 end) as n_progressed,
        sum(case when duration_of_response.event = 0 then 1 else 0 end) as n_continuing,
        sum(case when duration_of_response.event is null then 1 else 0 end) as n_without_duration_of_response,
        min(cohort.months_follow_up) as min_months_follow_up,
        max(cohort.months_follow_up) as max_months_follow_up
    from best_response
    left join duration_of_response
        on best_response.patient_id = duration_of_response.patient_id
    left join cohort
        on best_response.patient_id = cohort.patient_id
    group by best_response.disease, best_response.cohort, best_response.best_overall_response

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
