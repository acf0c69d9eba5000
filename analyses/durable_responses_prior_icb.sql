-- Durability of responses at the data lock in the prior_icb cohort (the paper: "None of the
-- melanoma patients who had a CR had progressed at the time of the database lock ... 3/5 PRs in
-- melanoma were continuing"). The figures are marts.durable_responses (defined once there; a
-- responder "progressed" when its duration of response ends in an event, "continuing" when
-- censored; docs/derivation_rules.md, "Durability at the data lock").
-- One row per disease and best overall response (CR, PR).
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/durable_responses_prior_icb.sql.

with

durable_responses as (

    select * from {{ ref('durable_responses') }}
    where cohort = 'prior_icb'

),

final as (

    select
        disease,
        best_overall_response,
        n_responders,
        n_progressed,
        n_continuing,
        min_months_follow_up,
        max_months_follow_up
    from durable_responses

)

select * from final
order by disease, best_overall_response
