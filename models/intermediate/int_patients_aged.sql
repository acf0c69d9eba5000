{#- Age at day 1 from the PHI birth_date: the only model after staging that reads birth_date
    (from stg_registry__patients, for the used edit of each patient); only the age leaves
    it. Grain: one row per usable patient. -#}
with used_patients as (
    select patient_id, source_row_number
    from {{ ref('int_patients_checked') }}
    where row_status = 'used'
),

birth_dates as (
    select source_row_number, birth_date from {{ ref('stg_registry__patients') }}
),

patients as (
    select used_patients.patient_id, birth_dates.birth_date
    from used_patients
    inner join birth_dates on used_patients.source_row_number = birth_dates.source_row_number
),

day1 as (
    select patient_id, day1_date from {{ ref('int_day1') }}
),

final as (
    select
        patients.patient_id,
        {{ age_in_whole_years_capped('patients.birth_date', 'day1.day1_date', 90) }} as age_at_day1
    from patients
    inner join day1 on patients.patient_id = day1.patient_id
)

select * from final
