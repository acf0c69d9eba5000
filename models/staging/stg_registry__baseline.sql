with source as (
    select * from {{ source('registry', 'baseline') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('assessment_date', 'date') }},
        {{ registry_column('ecog', 'integer', min_value=0, max_value=4) }},
        {{ registry_column('weight_kg', 'decimal', min_value=30, max_value=250) }},
        {{ registry_column('n_metastatic_sites', 'integer', min_value=0, max_value=20) }},
        {{ registry_column('ldh_value', 'decimal', min_value=50, max_value=10000) }},
        {{ registry_column('ldh_uln', 'decimal', min_value=1, max_value=10000) }},
        {{ registry_column('braf_status', 'code', codes=['MUTANT', 'WILD_TYPE', 'NOT_TESTED']) }},
        {{ registry_column('nras_status', 'code', codes=['MUTANT', 'WILD_TYPE', 'NOT_TESTED']) }},
        {{ registry_column('ckit_status', 'code', codes=['MUTANT', 'WILD_TYPE', 'NOT_TESTED']) }},
        {{ registry_column('brain_metastases', 'code', codes=['Y', 'N']) }},
        {{ registry_column('imdc_risk', 'code', codes=['FAVORABLE', 'INTERMEDIATE', 'POOR']) }},
        {{ registry_column('m_stage', 'code', codes=['M1A', 'M1B', 'M1C', 'M1D']) }},
        {{ row_fingerprint([
            'patient_id', 'assessment_date', 'ecog', 'weight_kg', 'n_metastatic_sites', 'ldh_value',
            'ldh_uln', 'braf_status', 'nras_status', 'ckit_status', 'brain_metastases', 'imdc_risk',
            'm_stage',
        ]) }} as row_fingerprint
    from source
)

select * from staged
