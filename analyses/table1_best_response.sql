-- The paper's Table 1 "Best Response to HD IL-2": initial response and (unconfirmed) best
-- overall response, n (%), by disease, in the prior_icb cohort. One row per disease, response
-- type and response; every response code is listed, with 0 when nobody had it.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/table1_best_response.sql.
-- Change the cohort filter below to 'il2_alone' for the comparator group.

with

best_response as (

    select * from {{ ref('best_response') }}
    where cohort = 'prior_icb'

),

disease_totals as (

    select
        disease,
        count(*) as n_disease
    from best_response
    group by disease

),

response_types as (

    select 'initial_response' as response_type, 1 as type_order
    union all
    select 'best_overall_response' as response_type, 2 as type_order

),

response_codes as (

    select 'CR' as response, 1 as response_order
    union all select 'PR', 2
    union all select 'SD', 3
    union all select 'PD', 4
    union all select 'NE', 5

),

counts as (

    select
        disease,
        'initial_response' as response_type,
        initial_response as response,
        count(*) as n_patients
    from best_response
    group by disease, initial_response

    union all

    select
        disease,
        'best_overall_response' as response_type,
        best_overall_response as response,
        count(*) as n_patients
    from best_response
    group by disease, best_overall_response

),

final as (

    select
        disease_totals.disease,
        response_types.response_type,
        response_codes.response,
        coalesce(counts.n_patients, 0) as n_patients,
        disease_totals.n_disease,
        round(100.0 * coalesce(counts.n_patients, 0) / disease_totals.n_disease, 1) as pct,
        response_types.type_order,
        response_codes.response_order
    from disease_totals
    cross join response_types
    cross join response_codes
    left join counts
        on disease_totals.disease = counts.disease
        and response_types.response_type = counts.response_type
        and response_codes.response = counts.response

)

select * from final
order by disease, type_order, response_order
