with source as (
    select * from {{ source('registry', 'subsequent_therapies') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('regimen_text', 'text', required=true) }},
        {{ registry_column('start_date', 'partial_date', required=true) }},
        {{ row_fingerprint(['patient_id', 'regimen_text', 'start_date']) }} as row_fingerprint
    from source
)

select * from staged
