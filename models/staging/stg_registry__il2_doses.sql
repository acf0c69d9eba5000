with source as (
    select * from {{ source('registry', 'il2_doses') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('course_number', 'integer', required=true, min_value=1, max_value=99) }},
        {{ registry_column('cycle_in_course', 'integer', required=true, min_value=1, max_value=2) }},
        {{ registry_column('dose_number', 'integer', required=true, min_value=1, max_value=15) }},
        {{ registry_column('admin_datetime', 'timestamp', required=true) }},
        {{ registry_column('dose_iu_per_kg', 'integer', min_value=1, max_value=1000000) }},
        {{ row_fingerprint([
            'patient_id', 'course_number', 'cycle_in_course', 'dose_number', 'admin_datetime',
            'dose_iu_per_kg',
        ]) }} as row_fingerprint
    from source
)

select * from staged
