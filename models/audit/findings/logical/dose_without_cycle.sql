-- Check dose_without_cycle (logical: dose log against the cycles): a dose whose course and
-- cycle have no il2_cycles row; kept, and it counts for day 1.

with

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

final as (

    select
        cast('il2_doses.csv' as {{ dbt.type_string() }}) as file,
        cast(source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('dose_without_cycle' as {{ dbt.type_string() }}) as check_name,
        cast(
            'dose ' || cast(dose_number as {{ dbt.type_string() }}) || ' of course '
            || cast(course_number as {{ dbt.type_string() }}) || ' cycle ' || cast(cycle_in_course as {{ dbt.type_string() }})
            || ' has no il2_cycles row (kept; counts for day 1)'
            as {{ dbt.type_string() }}
        ) as detail,
        cast('cycle_in_course' as {{ dbt.type_string() }}) as column_name,
        cast(cycle_in_course as {{ dbt.type_string() }}) as value
    from il2_doses
    where not has_cycle_record

)

select * from final
