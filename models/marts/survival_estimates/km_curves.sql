-- grain: one row per disease, cohort, endpoint and distinct time (time 0 included)
with

estimated as (

    select * from {{ il2_registry.survival_estimate('int_km_curves_estimated') }}

),

results as (

    select
        disease,
        cohort,
        endpoint,
        time_months,
        survival,
        ci_lower,
        ci_upper,
        n_at_risk,
        n_events,
        n_censored,
        conf_type
    from estimated

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
order by disease, cohort, endpoint, time_months
