{#-
    on-run-end: publish the finished build atomically when the run was a complete, successful
    `dbt build` (docs/refresh.md). The decision and the copy are made in Python
    (il2_registry.publish); this macro only hands over what dbt knows about the run.
    A partial, failed or non-build run leaves the published warehouse as it was.
-#}
{% macro publish_warehouse(results) %}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set facts = {
            "build_path": target.path,
            "invocation": invocation_args_dict,
            "results": [],
            "required": [],
            "vars": {},
            "extract_dir": var("extract_dir"),
        } -%}
        {#- The vars that change results, recorded with the lock (il2_registry.locks.RESULT_VARS). -#}
        {%- for name in ["confirmation_min_days", "sd_min_days", "max_ne_between", "km_conf_type", "km_cox_covariates"] -%}
            {%- do facts.vars.update({name: var(name)}) -%}
        {%- endfor -%}
        {%- for result in results -%}
            {%- do facts.results.append({"unique_id": result.node.unique_id, "status": result.status | string}) -%}
        {%- endfor -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type in ["model", "seed", "snapshot", "test"]
                and node.config.enabled
                and node.config.materialized != "ephemeral" -%}
                {%- do facts.required.append(node.unique_id) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- Everything dbt wrote goes from the WAL into the build file before it is copied. -#}
        {%- do run_query("checkpoint") -%}
        {#- The build connection gives its cached blocks back before the publish step's own
            connections (under the same cap) read the copy: the two together once took 4.8 GB
            at 1M patients (docs/performance.md). Its cap is restored afterwards. -#}
        {%- set build_memory_limit = run_query("select current_setting('memory_limit')").columns[0].values()[0] -%}
        {%- do run_query("set memory_limit = '256MB'") -%}
        {%- set answer = run_query("select il2_publish(" ~ il2_registry.sql_string_literal(tojson(facts)) ~ ")") -%}
        {%- do run_query("set memory_limit = " ~ il2_registry.sql_string_literal(build_memory_limit)) -%}
        {%- do log(answer.columns[0].values()[0], info=True) -%}
    {%- endif -%}
{% endmacro %}
