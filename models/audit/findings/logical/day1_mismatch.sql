-- Check day1_mismatch (logical: dose log against the enrolment form): the first dose of the
-- dose log and the enrolment form's il2_start_date differ; day 1 is the dose log's.

with

day1 as (

    select * from {{ ref('int_day1') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

findings as (

    select
        'patients.csv' as file,
        patients.source_row_number as row_number,
        patients.patient_id,
        'day1_mismatch' as check_name,
        (
            'first dose in the dose log ' || cast(day1.first_dose_date as {{ dbt.type_string() }})
            || ', enrolment form il2_start_date ' || cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
            || ' (dose log used, '
            || cast({{ dbt.datediff('day1.enrolment_il2_start_date', 'day1.first_dose_date', 'day') }} as {{ dbt.type_string() }})
            || ' days)'
        ) as detail,
        'il2_start_date' as column_name,
        day1.enrolment_il2_start_date as value
    from day1
    inner join patients
        on day1.patient_id = patients.patient_id
    where day1.first_dose_date <> day1.enrolment_il2_start_date

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
