{#- Age at day 1 from the PHI birth_date: the only model after staging that reads birth_date
    (from stg_registry__patients, for the used edit of each patient); only the age and three
    plausibility flags (no date) leave it. Grain: one row per usable patient.
    Implausible birth dates are set aside (audit.findings implausible_date): a birth date
    before 1900 or after day 1 gives a null age, never 90 or a negative age. -#}
with used_patients as (
    select patient_id, source_row_number
    from {{ ref('int_patients_checked') }}
    where row_status = 'used'
),

birth_dates as (
    select source_row_number, birth_date, primary_diagnosis_date, metastatic_diagnosis_date
    from {{ ref('stg_registry__patients') }}
),

patients as (
    select
        used_patients.patient_id,
        used_patients.source_row_number,
        birth_dates.birth_date,
        birth_dates.primary_diagnosis_date,
        birth_dates.metastatic_diagnosis_date
    from used_patients
    inner join birth_dates on used_patients.source_row_number = birth_dates.source_row_number
),

day1 as (
    select patient_id, day1_date from {{ ref('int_day1') }}
),

flagged as (
    select
        patients.*,
        day1.day1_date,
        patients.birth_date < cast('1900-01-01' as date) as is_birth_date_before_1900,
        patients.birth_date > day1.day1_date as is_birth_date_after_day1
    from patients
    inner join day1 on patients.patient_id = day1.patient_id
),

final as (
    select
        patient_id,
        case
            when not coalesce(is_birth_date_before_1900, false)
                then {{ age_in_whole_years_capped('birth_date', 'day1_date', 90) }}
        end as age_at_day1,
        source_row_number,
        coalesce(is_birth_date_before_1900, false) as is_birth_date_before_1900,
        coalesce(is_birth_date_after_day1, false) as is_birth_date_after_day1,
        coalesce(primary_diagnosis_date < birth_date, false) as is_primary_diagnosis_before_birth,
        coalesce(metastatic_diagnosis_date < birth_date, false) as is_metastatic_diagnosis_before_birth
    from flagged
)

select * from final
