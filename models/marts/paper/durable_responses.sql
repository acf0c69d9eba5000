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

final as (

    select
        cast(best_response.disease as {{ dbt.type_string() }}) as disease,
        cast(best_response.cohort as {{ dbt.type_string() }}) as cohort,
        cast(best_response.best_overall_response as {{ dbt.type_string() }}) as best_overall_response,
        cast(count(*) as integer) as n_responders,
        cast(sum(case when duration_of_response.event = 1 then 1 else 0 end) as integer) as n_progressed,
        cast(sum(case when duration_of_response.event = 0 then 1 else 0 end) as integer) as n_continuing,
        cast(sum(case when duration_of_response.event is null then 1 else 0 end) as integer)
            as n_without_duration_of_response,
        cast(min(cohort.months_follow_up) as double) as min_months_follow_up,
        cast(max(cohort.months_follow_up) as double) as max_months_follow_up
    from best_response
    left join duration_of_response
        on best_response.patient_id = duration_of_response.patient_id
    left join cohort
        on best_response.patient_id = cohort.patient_id
    group by best_response.disease, best_response.cohort, best_response.best_overall_response

)

select * from final
