with source as (
    select * from {{ source('registry', 'il2_cycles') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('course_number', 'integer', required=true, min_value=1, max_value=99) }},
        {{ registry_column('cycle_in_course', 'integer', required=true, min_value=1, max_value=2) }},
        {{ registry_column('admission_date', 'date', required=true) }},
        {{ registry_column('discharge_date', 'date') }},
        {{ registry_column('dose_level_iu_per_kg', 'integer', min_value=600000, max_value=720000) }},
        {{ registry_column('doses_planned', 'integer', min_value=1, max_value=15) }},
        {{ registry_column('stop_reason', 'code', codes=['COMPLETED', 'TOXICITY', 'PATIENT_DECISION', 'OTHER']) }},
        {{ registry_column('stop_toxicity_1', 'text') }},
        {{ registry_column('stop_toxicity_2', 'text') }},
        {{ registry_column('stop_toxicity_3', 'text') }},
        {{ row_fingerprint([
            'patient_id', 'course_number', 'cycle_in_course', 'admission_date', 'discharge_date',
            'dose_level_iu_per_kg', 'doses_planned', 'stop_reason', 'stop_toxicity_1', 'stop_toxicity_2',
            'stop_toxicity_3',
        ]) }} as row_fingerprint
    from source
)

select * from staged
