{#- Row-level bad-row policy (docs/bad_rows.md) for one staged extract file.

    Decides each row's status, in this order (the first that applies wins):
      0. malformed_row    - the record's field count is not the header's (staging's malformed_detail)
      1. exact_duplicate  - same raw row as an earlier row of the file (the first is used)
      2. column rejects   - a required value missing or bad (<column>__reject, one
                            audit.rejected_rows row per offending column)
      3. orphan           - parent key not among the usable parents (orphan_patient for
                            child files, orphan_site for patients)
      4. duplicate_key    - a later, different row with the same key as an earlier usable one
    Adds row_status ('used' / 'rejected'; named by status_column), row_reject_reason
    (row-level reasons 1, 3, 4; null for column rejects, which audit reads from the staged
    <column>__reject columns), row_reject_column / row_reject_value (the offending key),
    row_reject_detail and has_column_reject. Superseded patients are decided after this, in int_patients_checked. -#}
{% macro check_registry_rows(staged, reject_columns, parent=none, parent_key='patient_id', orphan_reason='orphan_patient', key_columns=none, status_column='row_status') -%}
{%- set key_value_parts = [] -%}
{%- for column in key_columns or [] -%}
    {%- do key_value_parts.append('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- if not loop.last %}{% do key_value_parts.append("'|'") %}{% endif -%}
{%- endfor %}
with staged as (
    select * from {{ staged }}
),

{% if parent is not none -%}
usable_parents as (
    select distinct {{ parent_key }} as parent_key from {{ parent }} where row_status = 'used'
),
{%- endif %}

{#- Groups of identical raw rows only (a group by, not a window over every row and column:
    the same first row, for a fraction of the work; docs/performance.md). -#}
identical_rows as (
    select
        row_fingerprint,
        min(source_row_number) as first_identical_row
    from staged
    group by row_fingerprint
    having count(*) > 1
),

flagged as (
    select
        staged.*,
        coalesce(identical_rows.first_identical_row, staged.source_row_number) as first_identical_row,
        coalesce({% for column in reject_columns %}staged.{{ column }}__reject{% if not loop.last %}, {% endif %}{% endfor %}) is not null
            as has_column_reject,
        {% if parent is not none -%}
        usable_parents.parent_key is not null as has_parent
        {%- else -%}
        true as has_parent
        {%- endif %}
    from staged
    left join identical_rows
        on staged.row_fingerprint = identical_rows.row_fingerprint
    {% if parent is not none -%}
    left join usable_parents on staged.{{ parent_key }} = usable_parents.parent_key
    {%- endif %}
),

pre_key as (
    select
        flagged.*,
        case
            when malformed_detail is not null then 'malformed_row'
            when first_identical_row < source_row_number then 'exact_duplicate'
            when has_column_reject then 'column_reject'
            when not has_parent then '{{ orphan_reason }}'
        end as pre_key_reason
    from flagged
),

{% if key_columns -%}
{#- Keys shared by several rows still in play; null keys group together, as in a window. -#}
shared_keys as (
    select
        {%- for column in key_columns %}
        {{ column }},
        {%- endfor %}
        min(source_row_number) as first_key_row
    from pre_key
    where pre_key_reason is null
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),
{%- endif %}

keyed as (
    select
        pre_key.*,
        {% if key_columns -%}
        case
            when pre_key.pre_key_reason is null
                then coalesce(shared_keys.first_key_row, pre_key.source_row_number)
        end as first_key_row
        {%- else -%}
        cast(null as {{ dbt.type_bigint() }}) as first_key_row
        {%- endif %}
    from pre_key
    {% if key_columns -%}
    left join shared_keys
        on pre_key.pre_key_reason is null
        {%- for column in key_columns %}
        and pre_key.{{ column }} is not distinct from shared_keys.{{ column }}
        {%- endfor %}
    {%- endif %}
),

final as (
    select
        keyed.*,
        case
            when pre_key_reason = 'column_reject' then null
            when pre_key_reason is not null then pre_key_reason
            when first_key_row < source_row_number then 'duplicate_key'
        end as row_reject_reason,
        case
            when false then null
            {%- if parent is not none %}
            when pre_key_reason = '{{ orphan_reason }}' then '{{ parent_key }}'
            {%- endif %}
            {%- if key_columns %}
            when pre_key_reason is null and first_key_row < source_row_number then '{{ key_columns | join(",") }}'
            {%- endif %}
        end as row_reject_column,
        case
            when false then null
            {%- if parent is not none %}
            when pre_key_reason = '{{ orphan_reason }}' then {{ parent_key }}
            {%- endif %}
            {%- if key_columns %}
            when pre_key_reason is null and first_key_row < source_row_number
                then {{ dbt.concat(key_value_parts) }}
            {%- endif %}
        end as row_reject_value,
        case
            when pre_key_reason = 'malformed_row' then 'record has ' || malformed_detail || ' (a broken row: no value of it is used)'
            when pre_key_reason = 'exact_duplicate' then 'same as row ' || cast(first_identical_row as {{ dbt.type_string() }})
            when pre_key_reason is null and first_key_row < source_row_number
                then 'same key as row ' || cast(first_key_row as {{ dbt.type_string() }})
        end as row_reject_detail,
        case
            when pre_key_reason is not null or first_key_row < source_row_number then 'rejected'
            else 'used'
        end as {{ status_column }}
    from keyed
)

select * from final
{%- endmacro %}
