{#- A value as an SQL string literal: single quotes doubled (standard SQL, DuckDB and Spark
    with ANSI strings). dbt.string_literal does not escape, so a path or var holding a quote
    (/data/o'brien) would end the literal early. Every path, var or manifest fact placed in
    SQL goes through this macro. -#}
{% macro sql_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
