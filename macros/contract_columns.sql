{#- The select list of a published model's `final`, from the model's own YAML contract: each
    column of model.columns (its YAML, in the contract's order) taken from `relation` (the
    model's last CTE, which names the columns) and cast once to the contract's data_type, so a
    column's type is written once, in the YAML. Portable: `string` and `bigint` become the
    adapter's (dbt.type_string(), dbt.type_bigint()); every other data_type (integer, double,
    date, boolean, ...) is one DuckDB and Spark both read, written as the YAML has it. At parse
    time (execute false) the columns are not known yet: `relation`.* stands in. -#}
{% macro contract_columns(relation) -%}
    {%- if not execute -%}
        {{ relation }}.*
    {%- else -%}
        {%- set columns = model.columns.values() | list -%}
        {%- if columns | length == 0 -%}
            {{ exceptions.raise_compiler_error("contract_columns: " ~ model.name ~ " has no columns in its YAML (contract_columns reads their data_type)") }}
        {%- endif -%}
        {%- for column in columns -%}
            {%- if not column.data_type -%}
                {{ exceptions.raise_compiler_error("contract_columns: column " ~ column.name ~ " of " ~ model.name ~ " has no data_type in its YAML") }}
            {%- endif -%}
            {%- set type_name = column.data_type | lower -%}
            {%- if type_name == 'string' -%}
                {%- set type_name = dbt.type_string() -%}
            {%- elif type_name == 'bigint' -%}
                {%- set type_name = dbt.type_bigint() -%}
            {%- endif %}
    cast({{ relation }}.{{ column.name }} as {{ type_name }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
