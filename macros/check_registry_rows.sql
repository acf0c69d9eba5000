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

{#- Only a key shared by several rows of the file can be a duplicate key: those rows are found
    first (a group by over the keys alone) and their pre-key status decided on that small
    set, so the wide stream of every row and column is read once, not twice
    (docs/performance.md, fifth round). -#}
{%- set pre_key_reason -%}
        case
            when malformed_detail is not null then 'malformed_row'
            when first_identical_row < source_row_number then 'exact_duplicate'
            when has_column_reject then 'column_reject'
            when not has_parent then '{{ orphan_reason }}'
        end
{%- endset %}

{% if key_columns -%}
candidate_keys as (
    select
        {%- for column in key_columns %}
        {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from staged
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),

candidate_rows as (
    select staged.*
    from staged
    inner join candidate_keys
        on {% for column in key_columns %}{% if not loop.first %}
        and {% endif %}staged.{{ column }} is not distinct from candidate_keys.{{ column }}
        {%- endfor %}
),

candidate_flagged as (
    {{ il2_registry.check_registry_rows_flags('candidate_rows', reject_columns, parent, parent_key) }}
),

candidate_pre_key as (
    select
        candidate_flagged.*,
        {{ pre_key_reason }} as pre_key_reason
    from candidate_flagged
),

{#- Keys shared by several rows still in play; null keys group together, as in a window. -#}
shared_keys as (
    select
        {%- for column in key_columns %}
        {{ column }},
        {%- endfor %}
        min(source_row_number) as first_key_row
    from candidate_pre_key
    where pre_key_reason is null
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),
{%- endif %}

flagged as (
    {{ il2_registry.check_registry_rows_flags('staged', reject_columns, parent, parent_key) }}
),

pre_key as (
    select
        flagged.*,
        {{ pre_key_reason }} as pre_key_reason
    from flagged
),

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


{#- The per-row flags of check_registry_rows over rows (all staged rows, or those sharing a
    key): first identical row, a column reject, a usable parent. -#}
{% macro check_registry_rows_flags(rows, reject_columns, parent, parent_key) -%}
    select
        {{ rows }}.*,
        coalesce(identical_rows.first_identical_row, {{ rows }}.source_row_number) as first_identical_row,
        coalesce({% for column in reject_columns %}{{ rows }}.{{ column }}__reject{% if not loop.last %}, {% endif %}{% endfor %}) is not null
            as has_column_reject,
        {% if parent is not none -%}
        usable_parents.parent_key is not null as has_parent
        {%- else -%}
        true as has_parent
        {%- endif %}
    from {{ rows }}
    left join identical_rows
        on {{ rows }}.row_fingerprint = identical_rows.row_fingerprint
    {% if parent is not none -%}
    left join usable_parents on {{ rows }}.{{ parent_key }} = usable_parents.parent_key
    {%- endif %}
{%- endmacro %}
