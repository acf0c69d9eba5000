-- Check implausible_date, death dates (logical: a follow-up contact against day 1): a death
-- date before the patient's day 1; overall survival ignores it (int_overall_survival).

with

follow_up_contacts as (

    select * from {{ ref('fct_follow_up_contacts') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

findings as (

    select
        'follow_up.csv' as file,
        follow_up_contacts.source_row_number as row_number,
        follow_up_contacts.patient_id,
        'implausible_date' as check_name,
        (
            'death_date ' || cast(follow_up_contacts.death_date as {{ dbt.type_string() }}) || ' is before day 1 '
            || cast(patients.day1_date as {{ dbt.type_string() }}) || ': ignored by overall survival'
        ) as detail,
        'death_date' as column_name,
        follow_up_contacts.death_date as value
    from follow_up_contacts
    inner join patients
        on follow_up_contacts.patient_id = patients.patient_id
    where follow_up_contacts.death_date < patients.day1_date

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
