{#- Schemas are the interface names themselves (core, marts, audit, ...), not dbt's
    default "<target schema>_<custom schema>", because analysts query them by name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
