{#- Grain: rejected row x offending column (file, row_number, column_name). Every row of an
    extract file that is not used and not superseded appears here at least once
    (docs/bad_rows.md). PHI values are '<redacted>' (staging writes them so). site_id: the
    patient's site in core.dim_patient; for a patients.csv row whose patient is not in core
    (the row was rejected) the site the row itself names; null otherwise (no patient id, an
    orphan patient). -#}
with patients as (
    select * from {{ ref('dim_patient') }}
),

patient_rows as (
    select * from {{ ref('int_patients_checked') }}
),

row_level as (
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

unioned as (
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
),

final as (
    select
        unioned.file,
        unioned.row_number,
        unioned.column_name,
        unioned.value,
        unioned.reason,
        unioned.detail,
        unioned.patient_id,
        coalesce(patients.site_id, patient_rows.site_id) as site_id
    from unioned
    left join patients
        on unioned.patient_id = patients.patient_id
    left join patient_rows
        on unioned.file = 'patients.csv'
            and unioned.row_number = patient_rows.source_row_number
)

select * from final
