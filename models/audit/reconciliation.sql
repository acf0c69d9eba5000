{#- Grain: extract file (file). rows_in_file is counted from the file itself (a fresh read
    of the CSV); the three others from the row checks. rows_in_file = rows_used +
    rows_superseded + rows_rejected is tested (tests/dbt/assert_reconciliation_adds_up.sql). -#}
with counted as (
    {% for file_name, model in registry_checked_files() -%}
    select
        '{{ file_name }}' as file,
        {{ loop.index }} as file_order,
        (select count(*) from {{ il2_registry.registry_reader(source('registry', file_name[:-4])) }}) as rows_in_file,
        sum(case when row_status = 'used' then 1 else 0 end) as rows_used,
        sum(case when row_status = 'superseded' then 1 else 0 end) as rows_superseded,
        sum(case when row_status = 'rejected' then 1 else 0 end) as rows_rejected
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        file,
        cast(rows_in_file as {{ dbt.type_bigint() }}) as rows_in_file,
        -- sums of integers widen to 128 bits on DuckDB; analysts expect plain counts
        cast(coalesce(rows_used, 0) as {{ dbt.type_bigint() }}) as rows_used,
        cast(coalesce(rows_superseded, 0) as {{ dbt.type_bigint() }}) as rows_superseded,
        cast(coalesce(rows_rejected, 0) as {{ dbt.type_bigint() }}) as rows_rejected,
        file_order
    from counted
)

select * from final
