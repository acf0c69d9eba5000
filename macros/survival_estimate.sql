{#- The relation a survival wrapper (marts.km_curves, km_summary, logrank, cox) reads.
    DuckDB: the dbt Python model of that name (ref). Spark: dbt-spark's session method runs no
    dbt Python models (only Databricks job submission), so those models are disabled there and
    il2_registry.spark_build runs the same package functions over the Spark marts and writes a
    table of the same name in the build's intermediate schema before the wrappers are built
    (docs/spark.md). -#}
{% macro survival_estimate(model_name) -%}
    {%- if target.type == 'spark' -%}
        {{ return(api.Relation.create(schema=generate_schema_name('intermediate', none), identifier=model_name)) }}
    {%- else -%}
        {{ return(ref(model_name)) }}
    {%- endif -%}
{%- endmacro %}
