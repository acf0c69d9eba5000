with source as (
    select * from {{ source('registry', 'sites') }}
),

staged as (
    select
        ordinality as source_row_number,
        {{ registry_column('site_id', 'text', required=true) }},
        {{ registry_column('site_name', 'text') }},
        {{ registry_column('site_type', 'code', codes=['ACADEMIC', 'COMMUNITY']) }},
        {{ registry_column('state', 'text') }},
        {{ row_fingerprint(['site_id', 'site_name', 'site_type', 'state']) }} as row_fingerprint
    from source
)

select * from staged
