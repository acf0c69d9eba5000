{%- set extract_dir = var('extract_dir') -%}
{%- if not extract_dir.startswith('/') -%}
{%- set extract_dir = env_var('IL2_PROJECT_ROOT', env_var('PWD', '.')) ~ '/' ~ extract_dir -%}
{%- endif -%}
with manifest as (
    select * from {{ ref('stg_registry__manifest') }}
),

final as (
    select
        extract_id,
        data_cutoff_date,
        created_at,
        contract_version,
        '{{ extract_dir | replace("'", "''") }}' as extract_dir
    from manifest
)

select * from final
