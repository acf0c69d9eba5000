-- Grain: one row per responder (patient_id): unconfirmed BOR CR or PR.
-- Rule "duration of response": from the first CR or PR visit of the BOR window to progression
-- or death, with the same event and censoring rules as PFS (int_progression_events: first PD,
-- recorded progression date, subsequent therapy start, death; ties progression, death,
-- subsequent therapy). Only events on or after the first response count: a recorded
-- progression date earlier than the response is an inconsistency that ends PFS but cannot end
-- a response that had not begun. Censored at the last adequate (CR, PR, SD) visit before the
-- event or, without an event, the last one up to the data cut-off, reason `last_assessment`;
-- the first response itself is adequate, so `no_adequate_assessment` cannot occur.
-- The event and censoring rule is PFS's, from another origin: int_progression_endpoints
-- (endpoint DOR, origin the first response).

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
    where endpoint = 'DOR'

)

select * from final
