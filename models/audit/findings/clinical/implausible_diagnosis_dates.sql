-- Check implausible_date, diagnosis dates (clinical plausibility): a primary or a metastatic
-- diagnosis date before the birth date (flags of int_patients_aged). Both dates are kept; the
-- value is '<redacted>' (with the check, a diagnosis date would bound the PHI birth date).

with

patients_aged as (

    select * from {{ ref('int_patients_aged') }}

),

diagnoses_before_birth as (

    select
        source_row_number,
        patient_id,
        'primary_diagnosis_date' as column_name
    from patients_aged
    where is_primary_diagnosis_before_birth

    union all

    select
        source_row_number,
        patient_id,
        'metastatic_diagnosis_date' as column_name
    from patients_aged
    where is_metastatic_diagnosis_before_birth

),

findings as (

    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'implausible_date' as check_name,
        column_name || ' is before birth_date: kept, check both dates' as detail,
        column_name,
        '<redacted>' as value
    from diagnoses_before_birth

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
