{#- The column names of an extract file's header, as a query with one row per column
    (column_name), read when the model runs. DuckDB describes the source's read_csv relation;
    another engine falls back to introspecting the relation while compiling (a query at
    compile time, the one place that reads a file then). -#}
{% macro file_header_columns(source_relation) -%}
    {{ return(adapter.dispatch('file_header_columns', 'il2_registry')(source_relation)) }}
{%- endmacro %}

{% macro duckdb__file_header_columns(source_relation) -%}
    select column_name from (describe select * from {{ source_relation }})
{%- endmacro %}

{% macro default__file_header_columns(source_relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set names = run_query('select * from ' ~ source_relation ~ ' limit 0').column_names -%}
    {%- endif -%}
    {%- for name in names %}
    select '{{ name | replace("'", "''") }}' as column_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as {{ dbt.type_string() }}) as column_name where 1 = 0
    {%- endfor %}
{%- endmacro %}
