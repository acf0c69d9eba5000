with source as (
    select * from {{ source('registry', 'adverse_events') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('ae_seq', 'integer', required=true, min_value=1, max_value=9999) }},
        {{ registry_column('ae_term', 'text', required=true) }},
        {{ registry_column('onset_date', 'date') }},
        {{ registry_column('resolution_date', 'date') }},
        {{ registry_column('ctcae_grade', 'integer', min_value=1, max_value=5) }},
        {{ registry_column('serious', 'code', codes=['Y', 'N']) }},
        {{ registry_column('related_to_il2', 'code', codes=['RELATED', 'NOT_RELATED', 'UNKNOWN']) }},
        {{ registry_column('immune_related', 'code', codes=['Y', 'N']) }},
        {{ registry_column('treated_with_steroids', 'code', codes=['Y', 'N']) }},
        {{ row_fingerprint([
            'patient_id', 'ae_seq', 'ae_term', 'onset_date', 'resolution_date', 'ctcae_grade', 'serious',
            'related_to_il2', 'immune_related', 'treated_with_steroids',
        ]) }} as row_fingerprint
    from source
)

select * from staged
