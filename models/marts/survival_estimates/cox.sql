-- grain: one row per disease and endpoint (hazard ratio of prior_icb against il2_alone)
with

fitted as (

    select * from {{ il2_registry.survival_estimate('int_cox_models_fitted') }}

),

results as (

    select
        disease,
        endpoint,
        n,
        n_events,
        hazard_ratio,
        hr_ci_lower,
        hr_ci_upper,
        p_value,
        covariates,
        note
    from fitted

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
order by disease, endpoint
