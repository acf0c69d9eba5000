-- Grain: one row per disease, cohort, response type and response code.
-- The paper's Table 1 "Best Response to HD IL-2": patients per initial response, unconfirmed
-- best overall response (as in the paper) and RECIST 1.1 confirmed BOR, n (%), every response
-- code listed with 0 when nobody had it. A patient with no assessment after day 1 has no
-- initial response: counted as NE, as the best overall response already is.

with

best_response as (

    select * from {{ ref('best_response') }}

),

groups as (

    select
        disease,
        cohort,
        count(*) as n_patients_in_group
    from best_response
    group by disease, cohort

),

response_types as (

    select 'initial_response' as response_type, 1 as type_order
    union all
    select 'best_overall_response' as response_type, 2 as type_order
    union all
    select 'confirmed_best_overall_response' as response_type, 3 as type_order

),

response_codes as (

    select 'CR' as response, 1 as response_order
    union all
    select 'PR' as response, 2 as response_order
    union all
    select 'SD' as response, 3 as response_order
    union all
    select 'PD' as response, 4 as response_order
    union all
    select 'NE' as response, 5 as response_order

),

responses as (

    select disease, cohort, 'initial_response' as response_type, coalesce(initial_response, 'NE') as response
    from best_response
    union all
    select disease, cohort, 'best_overall_response' as response_type, coalesce(best_overall_response, 'NE') as response
    from best_response
    union all
    select disease, cohort, 'confirmed_best_overall_response' as response_type, coalesce(confirmed_best_overall_response, 'NE') as response
    from best_response

),

counts as (

    select
        disease,
        cohort,
        response_type,
        response,
        count(*) as n_patients
    from responses
    group by disease, cohort, response_type, response

),

results as (

    select
        groups.disease,
        groups.cohort,
        response_types.response_type,
        response_codes.response,
        coalesce(counts.n_patients, 0) as n_patients,
        groups.n_patients_in_group as n_disease,
        100.0 * coalesce(counts.n_patients, 0) / groups.n_patients_in_group as pct,
        response_types.type_order,
        response_codes.response_order
    from groups
    cross join response_types
    cross join response_codes
    left join counts
        on groups.disease = counts.disease
            and groups.cohort = counts.cohort
            and response_types.response_type = counts.response_type
            and response_codes.response = counts.response

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
