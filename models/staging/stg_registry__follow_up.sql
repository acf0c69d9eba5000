with source as (
    select * from {{ source('registry', 'follow_up') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('contact_date', 'date', required=true) }},
        {{ registry_column('vital_status', 'code', required=true, codes=['ALIVE', 'DEAD', 'LOST']) }},
        {#- death_date is required only on a DEAD contact (docs/bad_rows.md). -#}
        {{ registry_column('death_date', 'date', required="upper(trim(coalesce(vital_status, ''))) = 'DEAD'") }},
        {{ registry_column('progression_date', 'date') }},
        {{ row_fingerprint(['patient_id', 'contact_date', 'vital_status', 'death_date', 'progression_date']) }}
            as row_fingerprint
    from source
)

select * from staged
