with source as (
    select * from {{ source('registry', 'tumor_assessments') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('assessment_date', 'date', required=true) }},
        {{ registry_column('overall_response', 'code', required=true, codes=['CR', 'PR', 'SD', 'PD', 'NE']) }},
        {{ registry_column('method', 'code', codes=['CT', 'MRI', 'PET_CT', 'CLINICAL']) }},
        {{ registry_column('new_lesions', 'code', codes=['Y', 'N']) }},
        {{ row_fingerprint(['patient_id', 'assessment_date', 'overall_response', 'method', 'new_lesions']) }}
            as row_fingerprint
    from source
)

select * from staged
