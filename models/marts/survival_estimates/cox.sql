-- grain: one row per disease and endpoint (hazard ratio of prior_icb against il2_alone)
with

fitted as (

    select * from {{ il2_registry.survival_estimate('int_cox_models_fitted') }}

),

final as (

    select
        cast(disease as {{ dbt.type_string() }}) as disease,
        cast(endpoint as {{ dbt.type_string() }}) as endpoint,
        cast(n as {{ dbt.type_int() }}) as n,
        cast(n_events as {{ dbt.type_int() }}) as n_events,
        cast(hazard_ratio as double) as hazard_ratio,
        cast(hr_ci_lower as double) as hr_ci_lower,
        cast(hr_ci_upper as double) as hr_ci_upper,
        cast(p_value as double) as p_value,
        cast(covariates as {{ dbt.type_string() }}) as covariates,
        cast(note as {{ dbt.type_string() }}) as note
    from fitted

)

select * from final
order by disease, endpoint
