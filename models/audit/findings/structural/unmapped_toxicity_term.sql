-- Check unmapped_toxicity_term (structural: a row's own values): a stopping toxicity of an
-- HD IL-2 cycle maps to no preferred term (UNMAPPED); detail names the candidates.

with

stop_toxicities as (

    select * from {{ ref('fct_stop_toxicities') }}

),

ae_terms_mapped as (

    select * from {{ ref('int_ae_terms_mapped') }}

),

final as (

    select
        cast('il2_cycles.csv' as {{ dbt.type_string() }}) as file,
        cast(stop_toxicities.source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(stop_toxicities.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('unmapped_toxicity_term' as {{ dbt.type_string() }}) as check_name,
        cast(
            {{ unmapped_term_detail('stopping toxicity', 'stop_toxicities.toxicity_verbatim') }}
            as {{ dbt.type_string() }}
        ) as detail,
        cast('stop_toxicity_' || cast(stop_toxicities.toxicity_position as {{ dbt.type_string() }}) as {{ dbt.type_string() }})
            as column_name,
        cast(stop_toxicities.toxicity_verbatim as {{ dbt.type_string() }}) as value
    from stop_toxicities
    left join ae_terms_mapped
        on {{ normalise_verbatim('stop_toxicities.toxicity_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where stop_toxicities.preferred_term = 'UNMAPPED'

)

select * from final
