-- grain: one row per disease, cohort, endpoint and distinct time (time 0 included)
with

estimated as (

    select * from {{ il2_registry.survival_estimate('int_km_curves_estimated') }}

),

final as (

    select
        cast(disease as {{ dbt.type_string() }}) as disease,
        cast(cohort as {{ dbt.type_string() }}) as cohort,
        cast(endpoint as {{ dbt.type_string() }}) as endpoint,
        cast(time_months as double) as time_months,
        cast(survival as double) as survival,
        cast(ci_lower as double) as ci_lower,
        cast(ci_upper as double) as ci_upper,
        cast(n_at_risk as {{ dbt.type_int() }}) as n_at_risk,
        cast(n_events as {{ dbt.type_int() }}) as n_events,
        cast(n_censored as {{ dbt.type_int() }}) as n_censored,
        cast(conf_type as {{ dbt.type_string() }}) as conf_type
    from estimated

)

select * from final
order by disease, cohort, endpoint, time_months
