with patients as (
    select * from {{ ref('int_patients_checked') }} where row_status = 'used'
),

day1 as (
    select * from {{ ref('int_day1') }}
),

ages as (
    select * from {{ ref('int_patients_aged') }}
),

-- the contract's disease code (MELANOMA, RCC) to the project's (mM, mRCC): seeds/codes.csv
disease_codes as (
    select code, contract_code from {{ ref('codes') }} where code_set = 'disease'
),

final as (
    select
        patients.patient_id,
        patients.site_id,
        disease_codes.code as disease,
        coalesce(patients.sex, 'U') as sex,
        patients.race,
        patients.consent_date,
        patients.primary_diagnosis_date,
        patients.primary_diagnosis_date_imputation,
        patients.metastatic_diagnosis_date,
        patients.metastatic_diagnosis_date_imputation,
        patients.il2_start_date as enrolment_il2_start_date,
        day1.day1_date,
        day1.day1_source,
        ages.age_at_day1,
        patients.last_modified,
        patients.source_row_number
    from patients
    inner join day1 on patients.patient_id = day1.patient_id
    left join ages on patients.patient_id = ages.patient_id
    left join disease_codes on patients.disease = disease_codes.contract_code
)

select * from final
