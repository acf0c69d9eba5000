-- grain: one row per disease, cohort and endpoint (every code combination, n = 0 when empty)
with

estimated as (

    select * from {{ il2_registry.survival_estimate('int_km_summaries_estimated') }}

),

results as (

    select
        disease,
        cohort,
        endpoint,
        n,
        n_events,
        median_months,
        median_ci_lower,
        median_ci_upper,
        conf_type
    from estimated

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
order by disease, endpoint, cohort
