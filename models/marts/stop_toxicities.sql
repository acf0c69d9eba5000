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

final as (

    select
        cast(stop_toxicities.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(cycles.disease as {{ dbt.type_string() }}) as disease,
        cast(cycles.cohort as {{ dbt.type_string() }}) as cohort,
        cast(stop_toxicities.course_number as integer) as course_number,
        cast(stop_toxicities.cycle_in_course as integer) as cycle_in_course,
        cast(stop_toxicities.toxicity_position as integer) as toxicity_position,
        cast(stop_toxicities.toxicity_verbatim as {{ dbt.type_string() }}) as toxicity_verbatim,
        cast(stop_toxicities.preferred_term as {{ dbt.type_string() }}) as toxicity_term,
        cast(stop_toxicities.category as {{ dbt.type_string() }}) as toxicity_category,
        cast(cycles.site_id as {{ dbt.type_string() }}) as site_id
    from stop_toxicities
    inner join cycles
        on stop_toxicities.patient_id = cycles.patient_id
            and stop_toxicities.course_number = cycles.course_number
            and stop_toxicities.cycle_in_course = cycles.cycle_in_course

)

select * from final
