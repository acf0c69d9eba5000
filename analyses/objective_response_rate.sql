-- Objective response rate (unconfirmed BOR CR or PR, as in the paper) with its exact
-- Clopper-Pearson 95% confidence interval, by disease and cohort, plus both diseases pooled
-- (disease 'all'; the paper's 22.8% is 'all' x prior_icb). The interval is computed once, in
-- marts.objective_response (portable SQL; method in models/marts/paper/objective_response.sql).
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/objective_response_rate.sql.

with

objective_response as (

    select * from {{ ref('objective_response') }}

),

final as (

    select * from objective_response

)

select * from final
order by disease, cohort
