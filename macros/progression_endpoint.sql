{#- The event and censoring rule shared by progression-free survival and duration of response
    (DATA_DICTIONARY: DoR has "the same event and censoring rules as PFS"); only the origin
    differs (day 1 for PFS, the first CR/PR for DoR).

    origins: a relation or CTE with one row per patient: patient_id, origin_date.
    Emits the CTEs of the rule, ending in `endpoint` (patient_id, start_date, end_date,
    time_days, time_months, event, reason), for the caller to select from:
    - event: the earliest int_progression_events row on or after the origin (ties: by
      event_priority: progression, death, subsequent therapy); reason = its event_type;
    - otherwise censored at the last adequate (CR, PR, SD) assessment on or after the origin
      and before the event, reason `last_assessment`, or at the origin when there is none,
      reason `no_adequate_assessment`. -#}
{% macro progression_endpoint(origins) -%}

progression_endpoint_events as (

    select * from {{ ref('int_progression_events') }}

),

progression_endpoint_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

ranked_events as (

    select
        progression_endpoint_events.patient_id,
        progression_endpoint_events.event_date,
        progression_endpoint_events.event_type,
        row_number() over (
            partition by progression_endpoint_events.patient_id
            order by progression_endpoint_events.event_date, progression_endpoint_events.event_priority
        ) as event_order
    from progression_endpoint_events
    inner join {{ origins }} as origins
        on progression_endpoint_events.patient_id = origins.patient_id
    where progression_endpoint_events.event_date >= origins.origin_date

),

first_events as (

    select * from ranked_events
    where event_order = 1

),

last_adequate_assessments as (

    select
        origins.patient_id,
        max(progression_endpoint_assessments.assessment_date) as last_adequate_date
    from {{ origins }} as origins
    inner join progression_endpoint_assessments
        on origins.patient_id = progression_endpoint_assessments.patient_id
    left join first_events
        on origins.patient_id = first_events.patient_id
    where progression_endpoint_assessments.overall_response in ('CR', 'PR', 'SD')
        and progression_endpoint_assessments.assessment_date >= origins.origin_date
        and (
            first_events.event_date is null
            or progression_endpoint_assessments.assessment_date < first_events.event_date
        )
    group by origins.patient_id

),

endpoint_ends as (

    select
        origins.patient_id,
        origins.origin_date,
        coalesce(first_events.event_date, last_adequate_assessments.last_adequate_date, origins.origin_date)
            as end_date,
        case when first_events.event_date is not null then 1 else 0 end as event,
        case
            when first_events.event_date is not null then first_events.event_type
            when last_adequate_assessments.last_adequate_date is not null then 'last_assessment'
            else 'no_adequate_assessment'
        end as reason
    from {{ origins }} as origins
    left join first_events
        on origins.patient_id = first_events.patient_id
    left join last_adequate_assessments
        on origins.patient_id = last_adequate_assessments.patient_id

),

endpoint as (

    select
        patient_id,
        origin_date as start_date,
        end_date,
        {{ dbt.datediff('origin_date', 'end_date', 'day') }} as time_days,
        {{ months_between('origin_date', 'end_date') }} as time_months,
        event,
        reason
    from endpoint_ends

)

{%- endmacro %}
