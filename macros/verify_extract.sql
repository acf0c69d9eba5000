{#- on-run-start: verify the extract before anything is built. The contract (file ->
    columns that must be in its header) comes from the source YAML, columns with
    meta.required_in_header, so it is written in one place. il2_verify_extract is the
    Python function that dbt_plugin.py registers (il2_registry.extract_check); it raises with
    a message naming each file and its problem, which fails the hook and stops the run. -#}
{% macro verify_extract() %}
    {%- if execute -%}
        {%- set contract = {} -%}
        {%- for source in graph.sources.values() if source.source_name == 'registry' -%}
            {%- set required = [] -%}
            {%- for column_name, column in source.columns.items() -%}
                {%- set meta = column.get('meta') or column.get('config', {}).get('meta') or {} -%}
                {%- if meta.get('required_in_header') %}{% do required.append(column_name) %}{% endif -%}
            {%- endfor -%}
            {%- do contract.update({source.name ~ '.csv': required}) -%}
        {%- endfor -%}
        select il2_verify_extract(
            '{{ var("extract_dir") | replace("'", "''") }}',
            '{{ tojson(contract) | replace("'", "''") }}'
        )
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
