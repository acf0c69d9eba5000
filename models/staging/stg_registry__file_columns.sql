{#- Grain: one row per extract file and header column (file, column_name). The header of
    every registry file, read when the model runs (macro file_header_columns; on DuckDB not
    while compiling), with whether the contract (models/staging/_registry__sources.yml) has
    the column. audit's extra_column check reads it. -#}
{{ config(materialized='table') }}
{%- set contract_columns = {} -%}
{%- if execute -%}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'registry' -%}
        {%- do contract_columns.update({source_node.name: source_node.columns.keys() | list}) -%}
    {%- endfor -%}
{%- endif %}

with

file_columns as (

    {% for file_name, model in registry_checked_files() -%}
    {%- set table_name = file_name[:-4] -%}
    select
        '{{ file_name }}' as file,
        column_name,
        column_name in ({{ "'" ~ (contract_columns.get(table_name) or ['']) | join("', '") ~ "'" }}) as is_contract_column
    from ({{ file_header_columns(source('registry', table_name)) }}) as header_columns
    where column_name <> 'ordinality'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        cast(file as {{ dbt.type_string() }}) as file,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        is_contract_column
    from file_columns

)

select * from final
