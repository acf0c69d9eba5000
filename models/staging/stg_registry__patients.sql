{#- mrn and initials are read only into the row fingerprint (exact duplicates); birth_date
    is kept for the age at day 1 (int_patients_aged) and goes no further. -#}
with source as (
    select * from {{ source('registry', 'patients') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('site_id', 'text', required=true) }},
        {{ registry_column('birth_date', 'date', phi=true) }},
        {{ registry_column('sex', 'code', codes=['M', 'F', 'U'], aliases={'MALE': 'M', 'FEMALE': 'F', 'UNKNOWN': 'U'}) }},
        {{ registry_column('race', 'code', codes=['WHITE', 'BLACK', 'ASIAN', 'OTHER', 'UNKNOWN']) }},
        {{ registry_column('consent_date', 'date') }},
        {{ registry_column('disease', 'code', required=true, codes=['MELANOMA', 'RCC']) }},
        {{ registry_column('primary_diagnosis_date', 'partial_date') }},
        {{ registry_column('metastatic_diagnosis_date', 'partial_date') }},
        {{ registry_column('il2_start_date', 'date', required=true) }},
        {{ registry_column('last_modified', 'timestamp', required=true) }},
        {{ row_fingerprint([
            'patient_id', 'site_id', 'mrn', 'initials', 'birth_date', 'sex', 'race', 'consent_date',
            'disease', 'primary_diagnosis_date', 'metastatic_diagnosis_date', 'il2_start_date',
            'last_modified',
        ]) }} as row_fingerprint
    from source
)

select * from staged
