-- Grain: one row per patient, event date and event type (patient_id, event_date, event_type).
-- The dated events that end progression-free survival and duration of response (DATA_DICTIONARY):
-- a PD assessment visit, a progression date recorded at a follow-up contact, the start of the
-- first subsequent anti-cancer therapy, and death. Only events after day 1 and on or before the
-- data cut-off are kept (records after the cut-off are ignored; a progression date on or before
-- day 1 is the progression that led to HD IL-2, not an event). A death counts when
-- int_overall_survival ends in death.
-- event_type is `progression`, `death` or `subsequent_therapy`; event_priority breaks ties on
-- the same date: progression 1, death 2, subsequent therapy 3.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

follow_up_contacts as (

    select * from {{ ref('fct_follow_up_contacts') }}

),

subsequent_therapy as (

    select * from {{ ref('int_subsequent_therapy_starts') }}

),

overall_survival as (

    select * from {{ ref('int_overall_survival') }}

),

pd_visits as (

    select
        patient_id,
        assessment_date as event_date,
        'progression' as event_type
    from response_assessments
    where overall_response = 'PD'

),

recorded_progressions as (

    select distinct
        follow_up_contacts.patient_id,
        follow_up_contacts.progression_date as event_date,
        'progression' as event_type
    from follow_up_contacts
    inner join population
        on follow_up_contacts.patient_id = population.patient_id
    where follow_up_contacts.progression_date > population.day1_date
        and follow_up_contacts.progression_date <= population.data_cutoff_date

),

subsequent_therapy_starts as (

    select
        patient_id,
        first_start_date as event_date,
        'subsequent_therapy' as event_type
    from subsequent_therapy
    where first_start_date is not null

),

deaths as (

    select
        patient_id,
        end_date as event_date,
        'death' as event_type
    from overall_survival
    where event = 1

),

all_events as (

    select * from pd_visits
    union all
    select * from recorded_progressions
    union all
    select * from subsequent_therapy_starts
    union all
    select * from deaths

),

final as (

    select distinct
        patient_id,
        event_date,
        event_type,
        case event_type
            when 'progression' then 1
            when 'death' then 2
            else 3
        end as event_priority
    from all_events

)

select * from final
