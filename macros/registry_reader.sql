{#- The reader of one registry source file: the source's own read_csv (its external_location),
    with DuckDB's parallel CSV scanner when the file allows it. The sources read with
    parallel = false because null_padding (a short record is padded and rejected as
    malformed_row) works in the parallel scanner only for files without a quoted newline; most
    files have none, and reading them in parallel halves the staging time on two cores
    (docs/performance.md). The extract check has already tried each file with the parallel
    scanner (il2_registry.extract_reader.parallel_read_is_safe, cached; asked here through the
    dbt plugin's il2_csv_parallel_safe). The records, values and row numbers are the same
    either way (tests/test_ingest_reader.py). Other relations (a unit test's given rows, the
    tables Spark loads) are returned as they are. -#}
{% macro registry_reader(relation) -%}
    {%- set text = relation | string -%}
    {%- if execute and target.type == 'duckdb' and 'read_csv(' in text and 'parallel = false' in text -%}
        {%- set path = var('extract_dir') ~ '/' ~ relation.identifier ~ '.csv' -%}
        {%- set query = 'select il2_csv_parallel_safe(' ~ il2_registry.sql_string_literal(path) ~ ')' -%}
        {%- if run_query(query).columns[0].values()[0] -%}
            {{- return(text.replace('parallel = false', 'parallel = true')) -}}
        {%- endif -%}
    {%- endif -%}
    {{- return(text) -}}
{%- endmacro %}

{#- The keyword that makes a CTE a materialised one where the adapter has it ('' elsewhere).
    DuckDB numbers a file's rows (`with ordinality`) in one thread, and a CTE read once is
    inlined, so every cleaning and typing expression of a staging view ran in that one thread
    (the 19M-row dose log: 55 s on one core). Materialised, the numbered rows are read by both
    cores: 31 s for the same rows and values (docs/performance.md). -#}
{% macro materialized_cte() -%}
    {{- return(adapter.dispatch('materialized_cte', 'il2_registry')()) -}}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized {# trailing space: `as materialized (` #}
{%- endmacro %}
