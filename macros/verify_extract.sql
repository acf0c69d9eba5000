{#- on-run-start: verify the extract before anything is built. il2_extract_check is the
    Python function that dbt_plugin.py registers (il2_registry.extract_check.hook_result, the
    same code as `il2reg extract check`); it reads the contract from the sources YAML itself
    and returns {ok, message}. On a problem this raises a compilation error whose text is the
    list of problems: dbt stops at once (no SKIP line per node, no traceback), builds and
    publishes nothing, and that list is the end of its output. -#}
{% macro verify_extract() %}
    {%- if execute -%}
        {%- set query -%}
            select il2_extract_check({{ il2_registry.sql_string_literal(var("extract_dir")) }})
        {%- endset -%}
        {%- set result = fromjson(run_query(query).columns[0].values()[0]) -%}
        {%- if not result.ok -%}
            {{ exceptions.raise_compiler_error(result.message) }}
        {%- endif -%}
        select {{ il2_registry.sql_string_literal(result.message) }} as extract_check
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
