{#- The extract files and the intermediate model that checked each one. -#}
{% macro registry_checked_files() -%}
    {{ return([
        ('sites.csv', 'int_sites_checked'),
        ('patients.csv', 'int_patients_checked'),
        ('baseline.csv', 'int_baseline_checked'),
        ('prior_therapies.csv', 'int_prior_therapies_checked'),
        ('il2_cycles.csv', 'int_il2_cycles_checked'),
        ('il2_doses.csv', 'int_il2_doses_checked'),
        ('adverse_events.csv', 'int_adverse_events_checked'),
        ('tumor_assessments.csv', 'int_tumor_assessments_checked'),
        ('subsequent_therapies.csv', 'int_subsequent_therapies_checked'),
        ('follow_up.csv', 'int_follow_up_checked'),
    ]) }}
{%- endmacro %}

{#- One row per (row, column) whose staged <column><suffix> holds a reason, for the rows
    that pass `row_filter`: file, row_number, patient_id, column_name, value, reason.
    The checked columns come from the contract (registry_contract_columns, the spec
    stage_registry_file writes them from): __reject for a required or conditionally required
    column, __nulled for an optional or conditionally required one (macro
    registry_checked_columns), kept columns only. A new column in the contract is picked up
    without editing audit, and a unit test, which has no built relation to look at, sees the
    same columns. -#}
{% macro unpivot_value_issues(file_name, checked_model, suffix, row_filter) -%}
    {%- set relation = ref(checked_model) -%}
    {%- set issue_columns = [] -%}
    {%- for spec in registry_contract_columns(file_name[:-4]) if spec.get('keep', true) -%}
        {%- set required = spec.get('required', false) -%}
        {%- if (suffix == '__reject' and required is not sameas false)
            or (suffix == '__nulled' and required is not sameas true) -%}
            {%- do issue_columns.append(spec.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if issue_columns | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_bigint() }}) as row_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as value,
        cast(null as {{ dbt.type_string() }}) as reason
    where 1 = 0
    {%- endif %}
    {%- if issue_columns %}
    {#- One pass over the checked model: the few rows with an issue are kept first, then each is
        unpivoted by a cross join with the issue columns (a union of one scan per column read a
        19M-row dose log once per column; docs/performance.md). -#}
    select
        '{{ file_name }}' as file,
        issue_rows.source_row_number as row_number,
        {% if file_name == 'sites.csv' %}cast(null as {{ dbt.type_string() }}){% else %}issue_rows.patient_id{% endif %} as patient_id,
        issue_columns.column_name,
        case issue_columns.column_name
            {%- for column in issue_columns %}
            when '{{ column }}' then issue_rows.{{ column }}__bad_value
            {%- endfor %}
        end as value,
        case issue_columns.column_name
            {%- for column in issue_columns %}
            when '{{ column }}' then issue_rows.{{ column }}{{ suffix }}
            {%- endfor %}
        end as reason
    from (
        select * from {{ relation }}
        where ({% for column in issue_columns %}{{ column }}{{ suffix }} is not null{% if not loop.last %} or {% endif %}{% endfor %})
            and {{ row_filter }}
    ) as issue_rows
    cross join (
        {%- for column in issue_columns %}
        select '{{ column }}' as column_name{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as issue_columns
    where case issue_columns.column_name
        {%- for column in issue_columns %}
        when '{{ column }}' then issue_rows.{{ column }}{{ suffix }}
        {%- endfor %}
    end is not null
    {%- endif %}
{%- endmacro %}

{#- The union of every data-quality check: each model under models/audit/findings/<tier>/
    (structural, logical, clinical), found in dbt's graph when the model runs, its seven
    columns selected by name. dbt fills `graph` only after parsing, so it cannot learn the
    union's dependencies from this loop: findings.sql names each check once in a
    `-- depends_on:` line, and a check in the folder without its line stops the run here
    with the line to add. -#}
{% macro audit_findings_union() -%}
    {%- set checks = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | sort(attribute='name') -%}
            {%- if node.original_file_path.replace('\\', '/').startswith('models/audit/findings/') -%}
                {%- if node.unique_id not in model.depends_on.nodes -%}
                    {{ exceptions.raise_compiler_error(
                        "audit.findings: the check " ~ node.original_file_path ~ " is not in the union: add the line\n"
                        ~ "-- depends_on: {{ ref('" ~ node.name ~ "') }}\nto models/audit/findings.sql") }}
                {%- endif -%}
                {%- do checks.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for check in checks %}
    select file, row_number, patient_id, check_name, detail, column_name, value
    from {{ ref(check) }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_bigint() }}) as row_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as check_name,
        cast(null as {{ dbt.type_string() }}) as detail,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as value
    where 1 = 0
    {%- endfor %}
{%- endmacro %}

{#- (file name, its endpoints joined by ', ') of every registry file whose rows feed an
    endpoint (the contract's feeds_endpoints), read from dbt's graph when the model runs. -#}
{% macro registry_endpoint_files() -%}
    {%- set endpoint_files = [] -%}
    {%- if execute -%}
        {%- for source_node in (graph.get('sources') or {}).values() if source_node.source_name == 'registry' -%}
            {%- set endpoints = registry_contract_meta(source_node).get('feeds_endpoints') or [] -%}
            {%- if endpoints %}{% do endpoint_files.append((source_node.name ~ '.csv', endpoints | join(', '))) %}{% endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(endpoint_files) }}
{%- endmacro %}

{#- The one shape of a data-quality check's rows (models/audit/findings/<tier>/, unioned into
    audit.findings): the select list of the check's `final`, each of the seven columns of
    `relation` (the check's CTE that names them: file, row_number, patient_id, check_name,
    detail, column_name, value) cast once to the type of the checks' contract (string, and
    bigint for row_number: the `&finding_columns` anchor of each tier's YAML). A check states
    only its own values; this macro owns the columns, their order and their types. -#}
{% macro finding_columns(relation) -%}
    cast({{ relation }}.file as {{ dbt.type_string() }}) as file,
    cast({{ relation }}.row_number as {{ dbt.type_bigint() }}) as row_number,
    cast({{ relation }}.patient_id as {{ dbt.type_string() }}) as patient_id,
    cast({{ relation }}.check_name as {{ dbt.type_string() }}) as check_name,
    cast({{ relation }}.detail as {{ dbt.type_string() }}) as detail,
    cast({{ relation }}.column_name as {{ dbt.type_string() }}) as column_name,
    cast({{ relation }}.value as {{ dbt.type_string() }}) as value
{%- endmacro %}
