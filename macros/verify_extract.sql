{#- on-run-start: verify the extract before anything is built.
    DuckDB: il2_extract_check is the Python function that dbt_plugin.py registers
    (il2_registry.extract_check.hook_result, the same code as `il2reg extract check`); it reads
    the contract from the sources YAML itself and returns {ok, message}. On a problem this
    raises a compilation error whose text is the list of problems: dbt stops at once (no SKIP
    line per node, no traceback), builds and publishes nothing, and that list is the end of
    its output.
    Other engines (Spark) cannot call Python from SQL: the same check runs in Python before
    the extract is loaded (il2_registry.spark_build, docs/spark.md), which records it in
    extract_manifest.load_check. Here the build only proceeds when the extract loaded is the
    one named by var('extract_dir') and its check passed. -#}
{% macro verify_extract() %}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set query -%}
            select il2_extract_check({{ il2_registry.sql_string_literal(var("extract_dir")) }})
        {%- endset -%}
        {%- set result = fromjson(run_query(query).columns[0].values()[0]) -%}
        {%- if not result.ok -%}
            {{ exceptions.raise_compiler_error(result.message) }}
        {%- endif -%}
        select {{ il2_registry.sql_string_literal(result.message) }} as extract_check
    {%- elif execute -%}
        {%- set record = il2_registry.loaded_extract_check() -%}
        {%- if record is none -%}
            {{ exceptions.raise_compiler_error("no extract is loaded on target " ~ target.name ~ " (extract_manifest.load_check is missing): load and build it with `python -m il2_registry.spark_build " ~ var("extract_dir") ~ "` (docs/spark.md)") }}
        {%- endif -%}
        {%- if record.extract_dir != var("extract_dir") -%}
            {{ exceptions.raise_compiler_error("the extract loaded on target " ~ target.name ~ " is " ~ record.extract_dir ~ ", not " ~ var("extract_dir") ~ ": load it first (docs/spark.md)") }}
        {%- endif -%}
        {%- if not record.ok -%}
            {{ exceptions.raise_compiler_error(record.message) }}
        {%- endif -%}
        select {{ il2_registry.sql_string_literal(record.message) }} as extract_check
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}

{#- The loader's record of the extract on a non-DuckDB target: {extract_dir, ok, message, contract}
    (one row of extract_manifest.load_check, written by il2_registry.spark_build), or none. -#}
{% macro loaded_extract_check() %}
    {%- set relation = adapter.get_relation(database=none, schema='extract_manifest', identifier='load_check') -%}
    {%- if relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set table = run_query('select extract_dir, ok, message from ' ~ relation) -%}
    {%- if table.rows | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set row = table.rows[0] -%}
    {{ return({'extract_dir': row[0], 'ok': row[1], 'message': row[2]}) }}
{% endmacro %}
