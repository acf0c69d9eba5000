-- Check unmapped_ae_term (structural: a row's own values): an adverse event's verbatim term
-- maps to no preferred term (UNMAPPED); detail names the candidates (macro unmapped_term_detail).

with

adverse_events as (

    select * from {{ ref('fct_adverse_events') }}

),

ae_terms_mapped as (

    select * from {{ ref('int_ae_terms_mapped') }}

),

final as (

    select
        cast('adverse_events.csv' as {{ dbt.type_string() }}) as file,
        cast(adverse_events.source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(adverse_events.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('unmapped_ae_term' as {{ dbt.type_string() }}) as check_name,
        cast({{ unmapped_term_detail('AE term', 'adverse_events.ae_term_verbatim') }} as {{ dbt.type_string() }})
            as detail,
        cast('ae_term' as {{ dbt.type_string() }}) as column_name,
        cast(adverse_events.ae_term_verbatim as {{ dbt.type_string() }}) as value
    from adverse_events
    left join ae_terms_mapped
        on {{ normalise_verbatim('adverse_events.ae_term_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where adverse_events.preferred_term = 'UNMAPPED'

)

select * from final
