-- Check unmapped_toxicity_term (structural: a row's own values): a stopping toxicity of an
-- HD IL-2 cycle maps to no preferred term (UNMAPPED); detail names the candidates.

with

stop_toxicities as (

    select * from {{ ref('fct_stop_toxicities') }}

),

ae_terms_mapped as (

    select * from {{ ref('int_ae_terms_mapped') }}

),

findings as (

    select
        'il2_cycles.csv' as file,
        stop_toxicities.source_row_number as row_number,
        stop_toxicities.patient_id,
        'unmapped_toxicity_term' as check_name,
        {{ unmapped_term_detail('stopping toxicity', 'stop_toxicities.toxicity_verbatim') }} as detail,
        'stop_toxicity_' || cast(stop_toxicities.toxicity_position as {{ dbt.type_string() }}) as column_name,
        stop_toxicities.toxicity_verbatim as value
    from stop_toxicities
    left join ae_terms_mapped
        on {{ normalise_verbatim('stop_toxicities.toxicity_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where stop_toxicities.preferred_term = 'UNMAPPED'

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
