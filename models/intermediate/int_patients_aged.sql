{#- Age at day 1 from the PHI birth_date: the last layer that sees birth_date; only the age
    leaves it. Grain: one row per usable patient. -#}
with patients as (
    select patient_id, birth_date
    from {{ ref('int_patients_checked') }}
    where row_status = 'used'
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
