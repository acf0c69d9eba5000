with patients as (
    select * from {{ ref('int_patients_checked') }} where row_status = 'used'
),

day1 as (
    select * from {{ ref('int_day1') }}
),

ages as (
    select * from {{ ref('int_patients_aged') }}
),

final as (
    select
        patients.patient_id,
        patients.site_id,
        case patients.disease when 'MELANOMA' then 'mM' when 'RCC' then 'mRCC' end as disease,
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
)

select * from final
