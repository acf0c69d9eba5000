{#- Grain: one slash-written date (file, row_number, column_name) of the extract: every
    MM/DD/YYYY-shaped value of a non-PHI date or partial-date column of the contract, as
    written, with its two leading parts. Staging parses slash dates as US (month first); this
    keeps what is needed to see a site that writes them day-first (int_site_date_styles,
    audit.findings site_date_style_suspect). One scan per file (the date columns are unpivoted
    by a cross join), no joins. PHI date columns (birth_date) are left out. -#}
{%- set files = [] -%}
{%- if execute -%}
    {%- for node in graph.sources.values() if node.source_name == 'registry' and 'patient_id' in node.columns -%}
        {%- set date_columns = [] -%}
        {%- for column_name, column in node.columns.items() -%}
            {%- set meta = registry_contract_meta(column) -%}
            {%- if meta.get('kind') in ('date', 'partial_date') and not meta.get('phi') -%}
                {%- do date_columns.append(column_name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if date_columns %}{% do files.append((node.name, date_columns)) %}{% endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set slash_date = '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}' -%}
with
{% for table_name, date_columns in files -%}
{#- The numbered rows, materialised: DuckDB numbers them in one thread, and the unpivot and
    pattern match then run on every core (macro materialized_cte). -#}
{{ table_name }}_rows as {{ il2_registry.materialized_cte() }}(
    select
        ordinality,
        {%- for column_name in date_columns %}
        {{ column_name }},
        {%- endfor %}
        patient_id
    from {{ il2_registry.registry_reader(source('registry', table_name)) }}
),

{{ table_name }}_dates as (
    select
        '{{ table_name }}.csv' as file,
        source.ordinality as row_number,
        {{ il2_registry.na_to_null('source.patient_id') }} as patient_id,
        date_columns.column_name,
        trim(case date_columns.column_name
            {%- for column_name in date_columns %} when '{{ column_name }}' then source.{{ column_name }}{% endfor %}
        end) as value
    from {{ table_name }}_rows as source
    cross join (
        {%- for column_name in date_columns %}
        select '{{ column_name }}' as column_name{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as date_columns
),

{% endfor -%}
slash_dates as (
    {%- for table_name, date_columns in files %}
    select * from {{ table_name }}_dates where {{ il2_registry.matches_pattern('value', slash_date) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if not files %}
    select
        cast(null as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_bigint() }}) as row_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as value
    where 1 = 0
    {%- endif %}
),

final as (
    select
        file,
        row_number,
        patient_id,
        column_name,
        value,
        cast({{ dbt.split_part('value', "'/'", 1) }} as {{ dbt.type_int() }}) as first_part,
        cast({{ dbt.split_part('value', "'/'", 2) }} as {{ dbt.type_int() }}) as second_part
    from slash_dates
)

select * from final
