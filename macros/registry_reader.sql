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
