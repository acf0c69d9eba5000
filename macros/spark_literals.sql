{#- Spark unescapes backslashes in string literals ('\b' is a backspace), and dbt-spark writes
    seed rows and unit-test fixtures as literals: the terminology patterns (\b(nivolumab|...)\b)
    would reach Spark changed. These two overrides (found by dispatch before dbt-spark's own)
    escape backslashes as well as quotes, so Spark stores the text as written in the file. -#}
{% macro spark__escape_single_quotes(expression) -%}
{{ expression | replace("\\", "\\\\") | replace("'", "\\'") }}
{%- endmacro %}

{#- dbt-spark's seed rows with inline, escaped literals (its session method pastes bound values
    between quotes without escaping). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}cast(null as {{ type }})
                    {%- elif value is number -%}cast({{ value }} as {{ type }})
                    {%- else -%}cast('{{ spark__escape_single_quotes(value | string) }}' as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
