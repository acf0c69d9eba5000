-- Grain: one row per patient in the analysis (patient_id).
-- Rule "progression-free survival": day 1 to the earliest of the first PD assessment, a
-- recorded progression date, the start of a subsequent anti-cancer therapy, or death
-- (int_progression_events; on a tie the reason is progression, then death, then subsequent
-- therapy). Without an event: censored at the last adequate assessment (a CR, PR or SD visit
-- after day 1) before the event, reason `last_assessment`, or at day 1 when there is none,
-- reason `no_adequate_assessment`. Events and assessments after the data cut-off are ignored,
-- so the end is never later than the cut-off: a death after the cut-off leaves PFS censored at
-- the last adequate assessment.
-- time_days = end - day 1; time_months = time_days / 30.4375.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

progression_events as (

    select * from {{ ref('int_progression_events') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

ranked_events as (

    select
        patient_id,
        event_date,
        event_type,
        row_number() over (partition by patient_id order by event_date, event_priority) as event_order
    from progression_events

),

first_events as (

    select * from ranked_events
    where event_order = 1

),

last_adequate_assessments as (

    select
        population.patient_id,
        max(response_assessments.assessment_date) as last_adequate_date
    from population
    inner join response_assessments
        on population.patient_id = response_assessments.patient_id
    left join first_events
        on population.patient_id = first_events.patient_id
    where response_assessments.overall_response in ('CR', 'PR', 'SD')
        and (first_events.event_date is null or response_assessments.assessment_date < first_events.event_date)
    group by population.patient_id

),

ends as (

    select
        population.patient_id,
        population.day1_date,
        coalesce(first_events.event_date, last_adequate_assessments.last_adequate_date, population.day1_date)
            as end_date,
        case when first_events.event_date is not null then 1 else 0 end as event,
        case
            when first_events.event_date is not null then first_events.event_type
            when last_adequate_assessments.last_adequate_date is not null then 'last_assessment'
            else 'no_adequate_assessment'
        end as reason
    from population
    left join first_events
        on population.patient_id = first_events.patient_id
    left join last_adequate_assessments
        on population.patient_id = last_adequate_assessments.patient_id

),

final as (

    select
        patient_id,
        day1_date as start_date,
        end_date,
        {{ dbt.datediff('day1_date', 'end_date', 'day') }} as time_days,
        {{ months_between('day1_date', 'end_date') }} as time_months,
        event,
        reason
    from ends

)

select * from final
