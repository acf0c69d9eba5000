{#- The column list of a built relation without the given columns (lower-case names), for a
    select that must not carry some columns on (PHI). Needs the relation built (true when a
    model runs: its parents are built first); while parsing, or before the relation exists,
    it gives '*' so that parsing and compiling on an empty database still work. -#}
{% macro columns_except(relation, excluded) -%}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in excluded -%}
        {%- do names.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {{ return(names | join(', ') if names else '*') }}
{%- endmacro %}
