{#- Grain: one row per patients.csv data row: the extract's own PHI values, canonical, for the
    free-text scan (stage_registry_file redacts a free-text value that holds one; the publish
    step scans the published file for them). PHI: stays in staging, never published.
    mrn and initials upper-cased and trimmed, birth_date parsed (ISO or US). -#}
with source as (
    select * from {{ il2_registry.registry_reader(source('registry', 'patients')) }}
),

final as (
    select distinct
        {{ il2_registry.canonical_patient_id(il2_registry.na_to_null('patient_id')) }} as patient_id,
        upper({{ il2_registry.na_to_null('mrn') }}) as mrn,
        upper({{ il2_registry.na_to_null('initials') }}) as initials,
        {{ il2_registry.parse_date(il2_registry.na_to_null('birth_date')) }} as birth_date
    from source
)

select * from final
