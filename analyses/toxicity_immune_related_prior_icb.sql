-- Immune-related toxicity in the prior_icb cohort (the paper: "The database reported no
-- autoimmune toxicities ..."; the case of pneumonitis on treatment day 7 after 11 of 14 doses).
-- One row per adverse event that is recorded as immune related or whose preferred term is an
-- immune-related one, with the HD IL-2 cycle during which it began: treatment_day = onset_day + 1
-- (day 1 is the first dose), doses given and planned in that cycle.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/toxicity_immune_related_prior_icb.sql.

with

adverse_events as (

    select * from {{ ref('adverse_events') }}
    where cohort = 'prior_icb'
        and (is_immune_related or is_immune_related_term)

),

cycles as (

    select * from {{ ref('il2_cycles') }}

),

final as (

    select
        adverse_events.patient_id,
        adverse_events.disease,
        adverse_events.ae_seq,
        adverse_events.ae_term_verbatim,
        adverse_events.preferred_term,
        adverse_events.ctcae_grade,
        adverse_events.is_immune_related,
        adverse_events.is_immune_related_term,
        adverse_events.is_treated_with_steroids,
        adverse_events.onset_day,
        adverse_events.onset_day + 1 as treatment_day,
        cycles.course_number,
        cycles.cycle_in_course,
        cycles.doses_given as cycle_doses_given,
        cycles.doses_planned as cycle_doses_planned
    from adverse_events
    left join cycles
        on adverse_events.patient_id = cycles.patient_id
        and adverse_events.onset_date >= cycles.admission_date
        and adverse_events.onset_date <= cycles.discharge_date

)

select * from final
order by disease, patient_id, ae_seq
