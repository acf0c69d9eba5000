-- Grain: one row per cycle and toxicity that led to stopping
-- (patient_id, course_number, cycle_in_course, toxicity_position).
-- The up to three stop toxicities of each cycle in marts.il2_cycles, with the preferred term
-- and category of the AE synonym list (`UNMAPPED` when no synonym matches).

with

cycles as (

    select * from {{ ref('il2_cycles') }}

),

stop_toxicities as (

    select * from {{ ref('fct_stop_toxicities') }}

),

results as (

    select
        stop_toxicities.patient_id,
        cycles.disease,
        cycles.cohort,
        stop_toxicities.course_number,
        stop_toxicities.cycle_in_course,
        stop_toxicities.toxicity_position,
        stop_toxicities.toxicity_verbatim,
        stop_toxicities.preferred_term as toxicity_term,
        stop_toxicities.category as toxicity_category,
        cycles.site_id
    from stop_toxicities
    inner join cycles
        on stop_toxicities.patient_id = cycles.patient_id
            and stop_toxicities.course_number = cycles.course_number
            and stop_toxicities.cycle_in_course = cycles.cycle_in_course

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
