-- Check unmapped_ae_term (structural: a row's own values): an adverse event's verbatim term
-- maps to no preferred term (UNMAPPED); detail names the candidates (macro unmapped_term_detail).

with

adverse_events as (

    select * from {{ ref('fct_adverse_events') }}

),

ae_terms_mapped as (

    select * from {{ ref('int_ae_terms_mapped') }}

),

findings as (

    select
        'adverse_events.csv' as file,
        adverse_events.source_row_number as row_number,
        adverse_events.patient_id,
        'unmapped_ae_term' as check_name,
        {{ unmapped_term_detail('AE term', 'adverse_events.ae_term_verbatim') }} as detail,
        'ae_term' as column_name,
        adverse_events.ae_term_verbatim as value
    from adverse_events
    left join ae_terms_mapped
        on {{ normalise_verbatim('adverse_events.ae_term_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where adverse_events.preferred_term = 'UNMAPPED'

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
