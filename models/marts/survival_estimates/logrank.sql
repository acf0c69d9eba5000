-- grain: one row per disease and endpoint (prior_icb against il2_alone)
with

computed as (

    select * from {{ il2_registry.survival_estimate('int_logrank_tests_computed') }}

),

final as (

    select
        cast(disease as {{ dbt.type_string() }}) as disease,
        cast(endpoint as {{ dbt.type_string() }}) as endpoint,
        cast(n_prior_icb as {{ dbt.type_int() }}) as n_prior_icb,
        cast(n_il2_alone as {{ dbt.type_int() }}) as n_il2_alone,
        cast(chi_square as double) as chi_square,
        cast(df as {{ dbt.type_int() }}) as df,
        cast(p_value as double) as p_value
    from computed

)

select * from final
order by disease, endpoint
