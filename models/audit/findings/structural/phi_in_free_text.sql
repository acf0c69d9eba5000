{#- Check phi_in_free_text (structural: a row's own values): a free-text value (contract meta
    free_text) that held one of the extract's own PHI values (an MRN, a birth date, initials;
    macro phi_in_free_text_hits), whatever the row's status. Staging published it as
    '<redacted>' and wrote the kind of PHI in <column>__phi. The finding names the file, row,
    column and the kind, never the value (value null). The free-text columns are the
    contract's (registry_contract_columns), read when the model runs. -#}
{%- set free_text_columns = [] -%}
{%- for file_name, checked_model in registry_checked_files() -%}
    {%- for spec in registry_contract_columns(file_name[:-4]) if spec.get('free_text') -%}
        {%- do free_text_columns.append((file_name, checked_model, spec.name)) -%}
    {%- endfor -%}
{%- endfor -%}

with

{% for file_name, checked_model in registry_checked_files() -%}
{{ checked_model }} as (

    select * from {{ ref(checked_model) }}

),

{% endfor -%}
phi_hits as (

    {%- for file_name, checked_model, column_name in free_text_columns %}
    select
        '{{ file_name }}' as file,
        source_row_number as row_number,
        {% if file_name == 'sites.csv' %}cast(null as {{ dbt.type_string() }}){% else %}patient_id{% endif %} as patient_id,
        '{{ column_name }}' as column_name,
        {{ column_name }}__phi as phi_kind
    from {{ checked_model }}
    where {{ column_name }}__phi is not null
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_bigint() }}) as row_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as phi_kind
    where 1 = 0
    {%- endfor %}

),

findings as (

    select
        file,
        row_number,
        patient_id,
        'phi_in_free_text' as check_name,
        column_name || ' held PHI (' || phi_kind || ' of the extract): published as <redacted>; remove it at the source' as detail,
        column_name,
        null as value
    from phi_hits

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final

-- jinja inside the select list: sqlfluff cannot place its indentation here
-- sqlfluff:exclude_rules:LT09,RF04,ST06,AM04,LT14,ST09,AM03,AM06,RF02,AL09,LT02
