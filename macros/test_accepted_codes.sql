{#- Generic test: every non-null value of the column is a code of `code_set` in the codes seed
    (seeds/codes.csv, the one list of the project's own codes: diseases, cohorts, endpoints,
    responses, endpoint reasons, row statuses; the Python package reads the same file).
    Fails with one row per value outside the set, and with one row when the set itself has
    no codes (a misspelt code_set cannot pass silently). -#}
{% test accepted_codes(model, column_name, code_set) %}

with

codes as (

    select code from {{ ref('codes') }}
    where code_set = '{{ code_set }}'

),

values_outside as (

    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    where {{ column_name }} is not null
        and {{ column_name }} not in (select code from codes)
    group by {{ column_name }}

),

empty_code_set as (

    select
        '(no codes in code_set {{ code_set }})' as value_field,
        0 as n_records
    where not exists (select 1 from codes)

),

final as (

    select cast(value_field as {{ dbt.type_string() }}) as value_field, n_records from values_outside
    union all
    select value_field, n_records from empty_code_set

)

select * from final

{% endtest %}
