-- Grain: one row per patient and endpoint (patient_id, endpoint): `PFS` for every patient in
-- the analysis, `DOR` for every responder (unconfirmed BOR CR or PR).
-- Rule "progression-free survival" and "duration of response", one event and censoring rule
-- from two origins (DATA_DICTIONARY: DoR has "the same event and censoring rules as PFS"):
-- - origin: day 1 for PFS, the first CR or PR visit of the BOR window for DoR;
-- - event: the earliest int_progression_events row on or after the origin (first PD, recorded
--   progression date, subsequent therapy start, death; on a tie by event_priority:
--   progression, death, subsequent therapy); reason = its event_type. A recorded progression
--   date earlier than the first response ends PFS but cannot end a response not yet begun;
-- - otherwise censored at the last adequate (CR, PR, SD) assessment on or after the origin and
--   before the event, reason `last_assessment`, or at the origin when there is none, reason
--   `no_adequate_assessment` (never for DoR: the first response is itself adequate).
-- Events and assessments after the data cut-off never reach the inputs, so the end is never
-- later than the cut-off.
-- time_days = end - origin; time_months = time_days / 30.4375.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

best_overall_response as (

    select * from {{ ref('int_best_overall_response') }}

),

progression_events as (

    select * from {{ ref('int_progression_events') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

origins as (

    select
        patient_id,
        'PFS' as endpoint,
        day1_date as origin_date
    from population

    union all

    select
        patient_id,
        'DOR' as endpoint,
        first_response_date as origin_date
    from best_overall_response
    where is_objective_response

),

ranked_events as (

    select
        origins.patient_id,
        origins.endpoint,
        progression_events.event_date,
        progression_events.event_type,
        row_number() over (
            partition by origins.patient_id, origins.endpoint
            order by progression_events.event_date, progression_events.event_priority
        ) as event_order
    from progression_events
    inner join origins
        on progression_events.patient_id = origins.patient_id
    where progression_events.event_date >= origins.origin_date

),

first_events as (

    select * from ranked_events
    where event_order = 1

),

last_adequate_assessments as (

    select
        origins.patient_id,
        origins.endpoint,
        max(response_assessments.assessment_date) as last_adequate_date
    from origins
    inner join response_assessments
        on origins.patient_id = response_assessments.patient_id
    left join first_events
        on origins.patient_id = first_events.patient_id
            and origins.endpoint = first_events.endpoint
    where response_assessments.overall_response in ('CR', 'PR', 'SD')
        and response_assessments.assessment_date >= origins.origin_date
        and (
            first_events.event_date is null
            or response_assessments.assessment_date < first_events.event_date
        )
    group by origins.patient_id, origins.endpoint

),

endpoint_ends as (

    select
        origins.patient_id,
        origins.endpoint,
        origins.origin_date,
        coalesce(first_events.event_date, last_adequate_assessments.last_adequate_date, origins.origin_date)
            as end_date,
        case when first_events.event_date is not null then 1 else 0 end as event,
        case
            when first_events.event_date is not null then first_events.event_type
            when last_adequate_assessments.last_adequate_date is not null then 'last_assessment'
            else 'no_adequate_assessment'
        end as reason
    from origins
    left join first_events
        on origins.patient_id = first_events.patient_id
            and origins.endpoint = first_events.endpoint
    left join last_adequate_assessments
        on origins.patient_id = last_adequate_assessments.patient_id
            and origins.endpoint = last_adequate_assessments.endpoint

),

final as (

    select
        patient_id,
        endpoint,
        origin_date as start_date,
        end_date,
        {{ dbt.datediff('origin_date', 'end_date', 'day') }} as time_days,
        {{ months_between('origin_date', 'end_date') }} as time_months,
        event,
        reason
    from endpoint_ends

)

select * from final
