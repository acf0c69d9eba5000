-- Durability of responses at the data lock in the prior_icb cohort (the paper: "None of the
-- melanoma patients who had a CR had progressed at the time of the database lock ... 3/5 PRs in
-- melanoma were continuing"). A responder (unconfirmed BOR CR or PR) has "progressed" when its
-- duration of response (marts.survival, endpoint DOR) ends in an event (progression, death or
-- subsequent therapy), "continuing" when it is censored. Follow-up is months_follow_up.
-- One row per disease and best overall response (CR, PR).
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/durable_responses_prior_icb.sql.

with

best_response as (

    select * from {{ ref('best_response') }}
    where cohort = 'prior_icb'
        and is_objective_response

),

duration_of_response as (

    select * from {{ ref('survival') }}
    where endpoint = 'DOR'

),

cohort as (

    select * from {{ ref('cohort') }}

),

final as (

    select
        best_response.disease,
        best_response.best_overall_response,
        cast(count(*) as integer) as n_responders,
        cast(sum(case when duration_of_response.event = 1 then 1 else 0 end) as integer) as n_progressed,
        cast(sum(case when duration_of_response.event = 0 then 1 else 0 end) as integer) as n_continuing,
        min(cohort.months_follow_up) as min_months_follow_up,
        max(cohort.months_follow_up) as max_months_follow_up
    from best_response
    inner join duration_of_response
        on best_response.patient_id = duration_of_response.patient_id
    inner join cohort
        on best_response.patient_id = cohort.patient_id
    group by best_response.disease, best_response.best_overall_response

)

select * from final
order by disease, best_overall_response
