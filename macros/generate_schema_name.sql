{#- Schemas are the interface names themselves (core, marts, audit, ...), not dbt's
    default "<target schema>_<custom schema>", because analysts query them by name.
    On Spark a build writes versioned schemas <schema>__build_<id> ($IL2_SPARK_BUILD_ID, set by
    il2_registry.spark_build) and the analysts' schemas hold views switched to the build only
    after all of it passed (docs/spark.md). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set name = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {%- set build_id = env_var('IL2_SPARK_BUILD_ID', '') if target.type == 'spark' else '' -%}
    {{ name }}{% if build_id %}__build_{{ build_id }}{% endif %}
{%- endmacro %}
