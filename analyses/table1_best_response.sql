-- The paper's Table 1 "Best Response to HD IL-2" in the prior_icb cohort: initial response and
-- (unconfirmed) best overall response, n (%), by disease. The figures are marts.table1_best_response
-- (defined once there); change the cohort filter to 'il2_alone' for the comparator group.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/table1_best_response.sql.

with

table1 as (

    select * from {{ ref('table1_best_response') }}
    where cohort = 'prior_icb'
        and response_type in ('initial_response', 'best_overall_response')

),

final as (

    select
        disease,
        response_type,
        response,
        n_patients,
        n_disease,
        round(pct, 1) as pct,
        type_order,
        response_order
    from table1

)

select * from final
order by disease, type_order, response_order
