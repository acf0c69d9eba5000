-- Grain: one row per adverse event (patient_id, ae_seq) that the site flagged immune related
-- (is_immune_related) or whose preferred term is an immune-related one (is_immune_related_term).
-- The paper: "The database reported no autoimmune toxicities ..."; the case of pneumonitis on
-- treatment day 7 after 11 of 14 doses. The HD IL-2 cycle at onset is the last cycle admitted
-- on or before the onset date; is_onset_during_cycle says whether onset is also on or before
-- that cycle's discharge. treatment_day = onset_day + 1 (day 1 is the first dose).

with

adverse_events as (

    select * from {{ ref('adverse_events') }}
    where is_immune_related or is_immune_related_term

),

cohort as (

    select * from {{ ref('cohort') }}

),

cycles as (

    select * from {{ ref('il2_cycles') }}

),

cycles_before_onset as (

    select
        adverse_events.patient_id,
        adverse_events.ae_seq,
        cycles.course_number,
        cycles.cycle_in_course,
        cycles.admission_date,
        cycles.discharge_date,
        cycles.doses_given,
        cycles.doses_planned,
        row_number() over (
            partition by adverse_events.patient_id, adverse_events.ae_seq
            order by cycles.admission_date desc, cycles.course_number desc, cycles.cycle_in_course desc
        ) as recency
    from adverse_events
    inner join cycles
        on adverse_events.patient_id = cycles.patient_id
            and cycles.admission_date <= adverse_events.onset_date

),

cycle_at_onset as (

    select * from cycles_before_onset
    where recency = 1

),

results as (

    select
        adverse_events.patient_id,
        adverse_events.site_id,
        adverse_events.disease,
        adverse_events.cohort,
        adverse_events.ae_seq,
        adverse_events.ae_term_verbatim,
        adverse_events.preferred_term,
        adverse_events.ctcae_grade,
        adverse_events.is_immune_related,
        adverse_events.is_immune_related_term,
        adverse_events.is_treated_with_steroids,
        adverse_events.onset_date,
        adverse_events.onset_day,
        adverse_events.onset_day + 1 as treatment_day,
        cohort.prior_icb_agents,
        cohort.has_prior_pdl1,
        cycle_at_onset.course_number,
        cycle_at_onset.cycle_in_course,
        cycle_at_onset.doses_given as cycle_doses_given,
        cycle_at_onset.doses_planned as cycle_doses_planned,
        (
            case
                when cycle_at_onset.patient_id is null then null
                when adverse_events.onset_date <= cycle_at_onset.discharge_date then true
                else false
            end
        ) as is_onset_during_cycle
    from adverse_events
    inner join cohort
        on adverse_events.patient_id = cohort.patient_id
    left join cycle_at_onset
        on adverse_events.patient_id = cycle_at_onset.patient_id
            and adverse_events.ae_seq = cycle_at_onset.ae_seq

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
