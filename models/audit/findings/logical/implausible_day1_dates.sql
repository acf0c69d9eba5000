-- Check implausible_date, day 1 (logical: the dose log against the enrolment form): a dose-log
-- day 1 more than a year (365 days) from the enrolment form's il2_start_date; the dose log is
-- used (day1_mismatch reports every difference; this one is implausible).

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
        'implausible_date' as check_name,
        (
            'dose-log day 1 ' || cast(day1.first_dose_date as {{ dbt.type_string() }})
            || ' is more than a year from the enrolment form''s il2_start_date '
            || cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
            || ': the dose log is used'
        ) as detail,
        'il2_start_date' as column_name,
        day1.enrolment_il2_start_date as value
    from day1
    inner join patients
        on day1.patient_id = patients.patient_id
    where abs({{ dbt.datediff('day1.enrolment_il2_start_date', 'day1.first_dose_date', 'day') }}) > 365

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
