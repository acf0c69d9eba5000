{{ config(materialized='ephemeral') }}
{#- Findings `phi_in_free_text` (docs/data_quality.md): a free-text value (contract meta
    free_text) that held one of the extract's own PHI values (an MRN, a birth date, initials;
    macro phi_in_free_text_hits). Staging published it as '<redacted>'. The finding names the
    file, row, column and the kind of PHI, never the value. Columns: those of audit.findings'
    union (file, row_number, patient_id, check_name, detail, column_name, value). -#}
with hits as (
    {% for file_name, model in registry_checked_files() -%}
    {{ unpivot_value_issues(file_name, model, '__phi', 'true') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        file,
        row_number,
        patient_id,
        'phi_in_free_text' as check_name,
        column_name || ' held PHI (' || reason || ' of the extract): published as <redacted>; remove it at the source' as detail,
        column_name,
        cast(null as {{ dbt.type_string() }}) as value
    from hits
)

select * from final
