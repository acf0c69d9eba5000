-- Check day1_mismatch (logical: dose log against the enrolment form): the first dose of the
-- dose log and the enrolment form's il2_start_date differ; day 1 is the dose log's.

with

day1 as (

    select * from {{ ref('int_day1') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

final as (

    select
        cast('patients.csv' as {{ dbt.type_string() }}) as file,
        cast(patients.source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(patients.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('day1_mismatch' as {{ dbt.type_string() }}) as check_name,
        cast(
            'first dose in the dose log ' || cast(day1.first_dose_date as {{ dbt.type_string() }})
            || ', enrolment form il2_start_date ' || cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
            || ' (dose log used, '
            || cast({{ dbt.datediff('day1.enrolment_il2_start_date', 'day1.first_dose_date', 'day') }} as {{ dbt.type_string() }})
            || ' days)'
            as {{ dbt.type_string() }}
        ) as detail,
        cast('il2_start_date' as {{ dbt.type_string() }}) as column_name,
        cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }}) as value
    from day1
    inner join patients
        on day1.patient_id = patients.patient_id
    where day1.first_dose_date <> day1.enrolment_il2_start_date

)

select * from final
