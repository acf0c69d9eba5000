with source as (
    select * from {{ source('registry', 'prior_therapies') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('patient_id', 'text', required=true) }},
        {{ registry_column('line_number', 'integer', min_value=1, max_value=99) }},
        {{ registry_column('regimen_text', 'text', required=true) }},
        {{ registry_column('start_date', 'partial_date', required=true) }},
        {{ registry_column('end_date', 'partial_date') }},
        {{ registry_column('best_response', 'code', codes=['CR', 'PR', 'SD', 'PD', 'NE']) }},
        {{ registry_column('reason_stopped', 'code', codes=['PROGRESSION', 'TOXICITY', 'COMPLETED', 'OTHER']) }},
        {{ registry_column('irae_reported', 'code', codes=['Y', 'N']) }},
        {{ row_fingerprint([
            'patient_id', 'line_number', 'regimen_text', 'start_date', 'end_date', 'best_response',
            'reason_stopped', 'irae_reported',
        ]) }} as row_fingerprint
    from source
)

select * from staged
