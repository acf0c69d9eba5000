-- Grain: one row per patient in the analysis (patient_id).
-- Rule "overall survival": day 1 to death (event, reason `death`). Otherwise censored at the
-- last date the patient was known alive - the latest of an ALIVE follow-up contact, a tumour
-- assessment, an HD IL-2 dose, the start of a subsequent therapy, and day 1 (a LOST contact is
-- not one) - reason `last_contact`. Data cut-off: records after it are ignored; a patient with
-- an ALIVE contact or a death dated after it was alive at the cut-off (DATA_DICTIONARY), so is
-- censored at the cut-off, reason `data_cutoff`. Other records after the cut-off (an assessment,
-- a therapy start) are ignored like any record after it. The end is never later than the cut-off.
-- A death on or before the cut-off is an event even if a later ALIVE contact exists (conflicting
-- records: the death record wins).
-- The death date is the earliest death_date of the patient's DEAD contacts; it is dated by
-- death_date, not by the contact date. A death dated before day 1 is impossible and ignored.
-- time_days = end - day 1 (no +1); time_months = time_days / 30.4375.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

extract as (

    select * from {{ ref('dim_extract') }}

),

-- A contact whose contact or death date is implausible (before 1992, after the export: an
-- ALIVE contact in 2099 would make the patient alive at the cut-off) is set aside
-- (audit.findings implausible_date).
follow_up_contacts as (

    select contacts.*
    from {{ ref('fct_follow_up_contacts') }} as contacts
    cross join extract
    where
        {{ il2_registry.is_plausible_event_date('contacts.contact_date', 'extract.created_at') }}
        and {{ il2_registry.is_plausible_event_date('contacts.death_date', 'extract.created_at') }}

),

tumor_assessments as (

    select * from {{ ref('fct_tumor_assessments') }}

),

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

subsequent_therapy as (

    select * from {{ ref('int_subsequent_therapy_starts') }}

),

deaths as (

    select
        follow_up_contacts.patient_id,
        min(follow_up_contacts.death_date) as death_date
    from follow_up_contacts
    inner join population
        on follow_up_contacts.patient_id = population.patient_id
    where follow_up_contacts.vital_status = 'DEAD'
        and follow_up_contacts.death_date >= population.day1_date
    group by follow_up_contacts.patient_id

),

alive_dates as (

    select patient_id, contact_date as alive_date, 1 as is_contact
    from follow_up_contacts
    where vital_status = 'ALIVE'

    union all

    select patient_id, assessment_date as alive_date, 0 as is_contact
    from tumor_assessments

    union all

    select patient_id, admin_date as alive_date, 0 as is_contact
    from il2_doses

),

alive_summary as (

    select
        alive_dates.patient_id,
        max(case when alive_dates.alive_date <= population.data_cutoff_date then alive_dates.alive_date end)
            as last_alive_date,
        max(
            case when alive_dates.is_contact = 1 and alive_dates.alive_date > population.data_cutoff_date then 1 else 0 end
        ) as has_alive_contact_after_cutoff
    from alive_dates
    inner join population
        on alive_dates.patient_id = population.patient_id
    group by alive_dates.patient_id

),

patient_dates as (

    select
        population.patient_id,
        population.day1_date,
        population.data_cutoff_date,
        deaths.death_date,
        -- greatest() is not null-safe everywhere: take the latest known-alive date by hand
        case
            when subsequent_therapy.last_start_date is not null
                and subsequent_therapy.last_start_date > coalesce(alive_summary.last_alive_date, population.day1_date)
                then subsequent_therapy.last_start_date
            when alive_summary.last_alive_date > population.day1_date then alive_summary.last_alive_date
            else population.day1_date
        end as last_known_alive_date,
        coalesce(alive_summary.has_alive_contact_after_cutoff, 0) = 1 as is_alive_after_cutoff
    from population
    left join deaths
        on population.patient_id = deaths.patient_id
    left join alive_summary
        on population.patient_id = alive_summary.patient_id
    left join subsequent_therapy
        on population.patient_id = subsequent_therapy.patient_id

),

ends as (

    select
        patient_id,
        day1_date,
        death_date,
        last_known_alive_date,
        case
            when death_date <= data_cutoff_date then death_date
            when death_date > data_cutoff_date or is_alive_after_cutoff then data_cutoff_date
            else last_known_alive_date
        end as end_date,
        case when death_date <= data_cutoff_date then 1 else 0 end as event,
        case
            when death_date <= data_cutoff_date then 'death'
            when death_date > data_cutoff_date or is_alive_after_cutoff then 'data_cutoff'
            else 'last_contact'
        end as reason
    from patient_dates

),

final as (

    select
        patient_id,
        day1_date as start_date,
        end_date,
        {{ dbt.datediff('day1_date', 'end_date', 'day') }} as time_days,
        {{ months_between('day1_date', 'end_date') }} as time_months,
        event,
        reason,
        death_date,
        last_known_alive_date
    from ends

)

select * from final
