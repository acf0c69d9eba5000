-- Check dose_without_cycle (logical: dose log against the cycles): a dose whose course and
-- cycle have no il2_cycles row; kept, and it counts for day 1.

with

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

findings as (

    select
        'il2_doses.csv' as file,
        source_row_number as row_number,
        patient_id,
        'dose_without_cycle' as check_name,
        (
            'dose ' || cast(dose_number as {{ dbt.type_string() }}) || ' of course '
            || cast(course_number as {{ dbt.type_string() }}) || ' cycle ' || cast(cycle_in_course as {{ dbt.type_string() }})
            || ' has no il2_cycles row (kept; counts for day 1)'
        ) as detail,
        'cycle_in_course' as column_name,
        cycle_in_course as value
    from il2_doses
    where not has_cycle_record

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
