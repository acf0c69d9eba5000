-- grain: one row per disease, cohort and endpoint (every code combination, n = 0 when empty)
with

estimated as (

    select * from {{ il2_registry.survival_estimate('int_km_summaries_estimated') }}

),

final as (

    select
        cast(disease as {{ dbt.type_string() }}) as disease,
        cast(cohort as {{ dbt.type_string() }}) as cohort,
        cast(endpoint as {{ dbt.type_string() }}) as endpoint,
        cast(n as {{ dbt.type_int() }}) as n,
        cast(n_events as {{ dbt.type_int() }}) as n_events,
        cast(median_months as double) as median_months,
        cast(median_ci_lower as double) as median_ci_lower,
        cast(median_ci_upper as double) as median_ci_upper,
        cast(conf_type as {{ dbt.type_string() }}) as conf_type
    from estimated

)

select * from final
order by disease, endpoint, cohort
