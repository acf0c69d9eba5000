{#- Grain: rejected row x offending column (file, row_number, column_name). Every row of an
    extract file that is not used and not superseded appears here at least once
    (docs/bad_rows.md). PHI values are '<redacted>' (staging writes them so). -#}
with row_level as (
    {% for file_name, model in registry_checked_files() -%}
    select
        '{{ file_name }}' as file,
        source_row_number as row_number,
        {% if file_name == 'sites.csv' %}cast(null as {{ dbt.type_string() }}){% else %}patient_id{% endif %} as patient_id,
        row_reject_column as column_name,
        row_reject_value as value,
        row_reject_reason as reason,
        row_reject_detail as detail
    from {{ ref(model) }}
    where row_reject_reason is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

column_level as (
    {% for file_name, model in registry_checked_files() -%}
    {{ unpivot_value_issues(file_name, model, '__reject', "row_status = 'rejected' and row_reject_reason is null") }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select file, row_number, column_name, value, reason, detail, patient_id from row_level
    union all
    select
        file,
        row_number,
        column_name,
        value,
        reason,
        cast(null as {{ dbt.type_string() }}) as detail,
        patient_id
    from column_level
)

select * from final
