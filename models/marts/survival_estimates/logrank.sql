-- grain: one row per disease and endpoint (prior_icb against il2_alone)
with

computed as (

    select * from {{ il2_registry.survival_estimate('int_logrank_tests_computed') }}

),

results as (

    select
        disease,
        endpoint,
        n_prior_icb,
        n_il2_alone,
        chi_square,
        df,
        p_value
    from computed

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
order by disease, endpoint
