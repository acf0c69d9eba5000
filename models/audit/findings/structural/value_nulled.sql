{#- Check value_nulled (structural: a row's own values). An optional value that is present but
    not valid (a bad date, code or number) was set to null and the row kept; detail says what
    is valid in that column (the contract spec, macro registry_valid_values). -#}
{#- From the contract of each checked file (not dbt's graph, which a unit test does not have). -#}
{%- set valid_values = [] -%}
{%- for file_name, model in registry_checked_files() -%}
    {%- for spec in registry_contract_columns(file_name[:-4]) -%}
        {%- do valid_values.append((file_name, spec.name, registry_valid_values(spec))) -%}
    {%- endfor -%}
{%- endfor -%}

with

value_nulled as (

    {% for file_name, model in registry_checked_files() -%}
    {{ unpivot_value_issues(file_name, model, '__nulled', "row_status = 'used'") }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

contract_valid_values as (

    {%- for file_name, column_name, valid in valid_values %}
    select
        '{{ file_name }}' as file,
        '{{ column_name }}' as column_name,
        '{{ valid | replace("'", "''") }}' as valid
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as valid
    where 1 = 0
    {%- endfor %}

),

findings as (

    select
        value_nulled.file,
        value_nulled.row_number,
        value_nulled.patient_id,
        'value_nulled' as check_name,
        (
            value_nulled.column_name || ' = ''' || value_nulled.value || ''' (' || value_nulled.reason
            || ') set to null; valid: ' || coalesce(contract_valid_values.valid, 'see docs/contract_columns.md')
        ) as detail,
        value_nulled.column_name,
        value_nulled.value
    from value_nulled
    left join contract_valid_values
        on value_nulled.file = contract_valid_values.file
            and value_nulled.column_name = contract_valid_values.column_name

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final

-- jinja inside the select list: sqlfluff cannot place its indentation here
-- sqlfluff:exclude_rules:LT09,RF04,ST06,AM04,LT14,ST09,AM03,AM06,RF02,AL09,LT02
