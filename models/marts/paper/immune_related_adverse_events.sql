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

final as (

    select
        cast(adverse_events.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(adverse_events.site_id as {{ dbt.type_string() }}) as site_id,
        cast(adverse_events.disease as {{ dbt.type_string() }}) as disease,
        cast(adverse_events.cohort as {{ dbt.type_string() }}) as cohort,
        cast(adverse_events.ae_seq as integer) as ae_seq,
        cast(adverse_events.ae_term_verbatim as {{ dbt.type_string() }}) as ae_term_verbatim,
        cast(adverse_events.preferred_term as {{ dbt.type_string() }}) as preferred_term,
        cast(adverse_events.ctcae_grade as integer) as ctcae_grade,
        cast(adverse_events.is_immune_related as boolean) as is_immune_related,
        cast(adverse_events.is_immune_related_term as boolean) as is_immune_related_term,
        cast(adverse_events.is_treated_with_steroids as boolean) as is_treated_with_steroids,
        cast(adverse_events.onset_date as date) as onset_date,
        cast(adverse_events.onset_day as integer) as onset_day,
        cast(adverse_events.onset_day + 1 as integer) as treatment_day,
        cast(cohort.prior_icb_agents as {{ dbt.type_string() }}) as prior_icb_agents,
        cast(cohort.has_prior_pdl1 as boolean) as has_prior_pdl1,
        cast(cycle_at_onset.course_number as integer) as course_number,
        cast(cycle_at_onset.cycle_in_course as integer) as cycle_in_course,
        cast(cycle_at_onset.doses_given as integer) as cycle_doses_given,
        cast(cycle_at_onset.doses_planned as integer) as cycle_doses_planned,
        cast(
            case
                when cycle_at_onset.patient_id is null then null
                when adverse_events.onset_date <= cycle_at_onset.discharge_date then true
                else false
            end as boolean
        ) as is_onset_during_cycle
    from adverse_events
    inner join cohort
        on adverse_events.patient_id = cohort.patient_id
    left join cycle_at_onset
        on adverse_events.patient_id = cycle_at_onset.patient_id
            and adverse_events.ae_seq = cycle_at_onset.ae_seq

)

select * from final
