-- Check implausible_date, birth dates (clinical plausibility of the age): a birth date before
-- 1900 or after day 1 (flags of int_patients_aged, which sets the age at day 1 to null: never
-- 90, never negative). Birth dates are PHI: the finding writes no date (value '<redacted>').

with

patients_aged as (

    select * from {{ ref('int_patients_aged') }}

),

findings as (

    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'implausible_date' as check_name,
        case
            when is_birth_date_before_1900 then 'birth_date is before 1900: age at day 1 set to null'
            else 'birth_date is after day 1: age at day 1 set to null'
        end as detail,
        'birth_date' as column_name,
        '<redacted>' as value
    from patients_aged
    where is_birth_date_before_1900
        or is_birth_date_after_day1

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
