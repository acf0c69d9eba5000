{#- Grain: one row, the manifest of the extract being built. -#}
with source as (
    select * from {{ source('extract_manifest', 'manifest') }}
),

staged as (
    select
        trim(extract_id) as extract_id,
        {{ il2_registry.parse_date('trim(data_cutoff_date)') }} as data_cutoff_date,
        {{ il2_registry.parse_timestamp("replace(replace(trim(created_at), 'Z', ''), '+00:00', '')") }} as created_at,
        {{ dbt.safe_cast('contract_version', dbt.type_int()) }} as contract_version
    from source
)

select * from staged
