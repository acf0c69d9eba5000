{#- dbt unit tests take an input's column types from the database. Our registry sources are
    files read by an external_location (read_csv ... with ordinality), not relations, so dbt
    cannot introspect them and the unit test fails to compile. This wraps dbt's own
    get_fixture_sql: only when the input relation cannot be found, the fixture is built from
    the rows themselves (columns = union of the rows' keys; text -> varchar, whole numbers ->
    bigint, other numbers -> double, booleans -> boolean). Every other case is dbt's. -#}
{% macro get_fixture_sql(rows, column_name_to_data_types) %}
    {%- if column_name_to_data_types or defer_relation or load_relation(this) is not none -%}
        {{ return(dbt.get_fixture_sql(rows, column_name_to_data_types)) }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for row in rows -%}
        {%- for name, value in row.items() -%}
            {%- if value is not none and name | lower not in types -%}
                {%- if value is sameas true or value is sameas false -%}
                    {%- do types.update({name | lower: 'boolean'}) -%}
                {%- elif value is number and value | int == value -%}
                    {%- do types.update({name | lower: dbt.type_bigint()}) -%}
                {%- elif value is number -%}
                    {%- do types.update({name | lower: dbt.type_float()}) -%}
                {%- else -%}
                    {%- do types.update({name | lower: dbt.type_string()}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for row in rows -%}
        {%- for name, value in row.items() if value is none and name | lower not in types -%}
            {%- do types.update({name | lower: dbt.type_string()}) -%}
        {%- endfor -%}
    {%- endfor -%}
-- Fixture for {{ model.name }} (types from the rows: the input is an external file)
    {%- for row in rows %}
    {%- set lowered = {} -%}
    {%- for name, value in row.items() %}{% do lowered.update({name | lower: value}) %}{% endfor %}
select
    {%- for name, data_type in types.items() %}
    {%- set value = lowered.get(name) %}
    {%- if value is none %} cast(null as {{ data_type }})
    {%- elif data_type == dbt.type_string() %} cast('{{ value | replace("'", "''") }}' as {{ data_type }})
    {%- else %} cast({{ value }} as {{ data_type }})
    {%- endif %} as {{ adapter.quote(name) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
