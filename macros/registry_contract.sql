{#- The extract contract (models/staging/_registry__sources.yml) as dbt reads it, from the
    parsed sources (graph.sources). At parse time (execute is false) the graph is not there
    yet; the lists are empty then, which is enough for dbt to find each model's source. -#}

{#- The parsed source node of one registry file (e.g. 'il2_doses'): {name, columns: {name:
    {meta}}, meta}. dbt gives unit tests a manifest without the graph; there the same YAML is
    read through il2_registry.contract (SQL function il2_contract_table, dbt_plugin.py; on Spark
    the table extract_manifest.contract_tables the loader writes). -#}
{% macro registry_contract_source(table_name) -%}
    {%- if graph.get('sources') is none -%}
        {%- if target.type == 'duckdb' -%}
            {%- set raw = run_query("select il2_contract_table('" ~ table_name ~ "')").columns[0].values()[0] -%}
        {%- else -%}
            {#- Spark: the loader wrote the same JSON per table (il2_registry.spark_build). -#}
            {%- set raw = run_query("select spec from extract_manifest.contract_tables where table_name = '" ~ table_name ~ "'").columns[0].values()[0] -%}
        {%- endif -%}
        {{ return(fromjson(raw)) }}
    {%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == 'registry' and node.name == table_name -%}
        {{ return(node) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("registry contract: no table " ~ table_name ~ " in models/staging/_registry__sources.yml") }}
{%- endmacro %}

{#- The contract's PHI-in-text regular expressions (source meta phi_patterns: mrn_token,
    date_token, marked_initials, own_initials_token), the ones the publish step's scan reads
    too (il2_registry.contract.Contract.phi_patterns). -#}
{% macro registry_phi_patterns() -%}
    {%- set patterns = registry_contract_source('patients').get('source_meta', {}).get('phi_patterns') -%}
    {%- if not patterns -%}
        {{ exceptions.raise_compiler_error("registry contract: no phi_patterns in the registry source's meta (models/staging/_registry__sources.yml)") }}
    {%- endif -%}
    {{ return(patterns) }}
{%- endmacro %}

{#- A column's or table's meta, wherever this dbt version keeps it. -#}
{% macro registry_contract_meta(node) -%}
    {{ return(node.get('meta') or node.get('config', {}).get('meta') or {}) }}
{%- endmacro %}

{#- The SQL condition of a conditional requirement ({column, equals}), on the typed value. -#}
{% macro registry_required_when_sql(condition) -%}
    {{ return(condition.column ~ "__typed = '" ~ condition.equals ~ "'") }}
{%- endmacro %}

{#- The columns of one registry file in the form stage_registry_file takes:
    {name, kind, required (true / false / SQL condition), codes, aliases, min, max, phi, keep},
    each key present only when the contract sets it. -#}
{% macro registry_contract_columns(table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column_name, column in registry_contract_source(table_name).columns.items() -%}
            {%- set meta = registry_contract_meta(column) -%}
            {%- set spec = {'name': column_name, 'kind': meta.get('kind', 'text')} -%}
            {%- if meta.get('required_when') -%}
                {%- do spec.update({'required': registry_required_when_sql(meta.required_when)}) -%}
            {%- elif meta.get('required') -%}
                {%- do spec.update({'required': true}) -%}
            {%- endif -%}
            {%- for key in ['codes', 'aliases', 'min', 'max', 'phi', 'keep', 'free_text'] if meta.get(key) is not none -%}
                {%- do spec.update({key: meta.get(key)}) -%}
            {%- endfor -%}
            {%- do columns.append(spec) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}

{#- What is valid in a column, in words (audit.findings; the extract check writes the same
    text from the same spec, il2_registry.contract.ColumnSpec.valid). -#}
{% macro registry_valid_values(spec) -%}
    {%- set kind = spec.get('kind', 'text') -%}
    {%- if kind == 'code' -%}
        {%- set text = 'one of ' ~ spec.codes | join(', ') -%}
        {%- if spec.get('aliases') -%}
            {%- set written = [] -%}
            {%- for alias, code in spec.aliases.items() %}{% do written.append(alias ~ ' for ' ~ code) %}{% endfor -%}
            {%- set text = text ~ ' (also ' ~ written | join(', ') ~ ')' -%}
        {%- endif -%}
    {%- elif kind == 'date' -%}
        {%- set text = 'a date YYYY-MM-DD or MM/DD/YYYY' -%}
    {%- elif kind == 'partial_date' -%}
        {%- set text = 'a date YYYY-MM-DD or MM/DD/YYYY, or a partial date YYYY-MM or YYYY' -%}
    {%- elif kind == 'timestamp' -%}
        {%- set text = 'a timestamp YYYY-MM-DD HH:MM[:SS] (or with T)' -%}
    {%- elif kind == 'patient_id' -%}
        {%- set text = 'a patient id S###-#### (e.g. S014-0023; case and padding ignored)' -%}
    {%- elif kind in ('integer', 'decimal') -%}
        {%- set text = 'a whole number' if kind == 'integer' else 'a number with a dot for decimals' -%}
        {%- if spec.get('min') is not none and spec.get('max') is not none -%}
            {%- set text = text ~ ' from ' ~ spec.min ~ ' to ' ~ spec.max -%}
        {%- elif spec.get('min') is not none -%}
            {%- set text = text ~ ' of at least ' ~ spec.min -%}
        {%- elif spec.get('max') is not none -%}
            {%- set text = text ~ ' of at most ' ~ spec.max -%}
        {%- endif -%}
    {%- else -%}
        {%- set text = 'any text' -%}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}

{#- The row-level facts of one registry file for check_registry_rows: the columns whose
    __reject decides a rejection (required, or required_when) and the key columns. -#}
{% macro registry_contract_reject_columns(table_name) -%}
    {%- set names = [] -%}
    {%- for spec in registry_contract_columns(table_name) if spec.get('required') -%}
        {%- do names.append(spec.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{% macro registry_contract_key_columns(table_name) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {{ return(registry_contract_meta(registry_contract_source(table_name)).get('key_columns') or none) }}
{%- endmacro %}
