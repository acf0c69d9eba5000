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
-- The event and censoring rule is shared with duration of response: int_progression_endpoints
-- (endpoint PFS, origin day 1).

with

progression_endpoints as (

    select * from {{ ref('int_progression_endpoints') }}

),

final as (

    select
        patient_id,
        start_date,
        end_date,
        time_days,
        time_months,
        event,
        reason
    from progression_endpoints
    where endpoint = 'PFS'

)

select * from final
