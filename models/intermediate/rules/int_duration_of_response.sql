-- Grain: one row per responder (patient_id): unconfirmed BOR CR or PR.
-- Rule "duration of response": from the first CR or PR visit of the BOR window to progression
-- or death, with the same event and censoring rules as PFS (int_progression_events: first PD,
-- recorded progression date, subsequent therapy start, death; ties progression, death,
-- subsequent therapy). Only events on or after the first response count: a recorded
-- progression date earlier than the response is an inconsistency that ends PFS but cannot end
-- a response that had not begun. Censored at the last adequate (CR, PR, SD) visit before the
-- event or, without an event, the last one up to the data cut-off, reason `last_assessment`;
-- the first response itself is adequate, so `no_adequate_assessment` cannot occur.

with

best_overall_response as (

    select * from {{ ref('int_best_overall_response') }}

),

progression_events as (

    select * from {{ ref('int_progression_events') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

responders as (

    select
        patient_id,
        first_response_date
    from best_overall_response
    where is_objective_response

),

ranked_events as (

    select
        progression_events.patient_id,
        progression_events.event_date,
        progression_events.event_type,
        row_number() over (
            partition by progression_events.patient_id
            order by progression_events.event_date, progression_events.event_priority
        ) as event_order
    from progression_events
    inner join responders
        on progression_events.patient_id = responders.patient_id
    where progression_events.event_date >= responders.first_response_date

),

first_events as (

    select * from ranked_events
    where event_order = 1

),

last_adequate_assessments as (

    select
        responders.patient_id,
        max(response_assessments.assessment_date) as last_adequate_date
    from responders
    inner join response_assessments
        on responders.patient_id = response_assessments.patient_id
    left join first_events
        on responders.patient_id = first_events.patient_id
    where response_assessments.overall_response in ('CR', 'PR', 'SD')
        and response_assessments.assessment_date >= responders.first_response_date
        and (first_events.event_date is null or response_assessments.assessment_date < first_events.event_date)
    group by responders.patient_id

),

ends as (

    select
        responders.patient_id,
        responders.first_response_date,
        coalesce(first_events.event_date, last_adequate_assessments.last_adequate_date, responders.first_response_date)
            as end_date,
        case when first_events.event_date is not null then 1 else 0 end as event,
        coalesce(first_events.event_type, 'last_assessment') as reason
    from responders
    left join first_events
        on responders.patient_id = first_events.patient_id
    left join last_adequate_assessments
        on responders.patient_id = last_adequate_assessments.patient_id

),

final as (

    select
        patient_id,
        first_response_date as start_date,
        end_date,
        {{ dbt.datediff('first_response_date', 'end_date', 'day') }} as time_days,
        {{ months_between('first_response_date', 'end_date') }} as time_months,
        event,
        reason
    from ends

)

select * from final
