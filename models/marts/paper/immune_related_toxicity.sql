-- Grain: one row per disease and cohort.
-- Immune-related toxicity two ways (docs/marts.md, "Immune-related adverse events"):
-- - `flagged`: the site's own flag on the adverse-event form (is_immune_related). It answers
--   "what did the sites record as immune related" (the paper's "no autoimmune toxicities");
--   null = not recorded, counted apart (n_events_flag_not_recorded), never as no.
-- - `term`: the preferred term is an immune-related one in the terminology
--   (is_immune_related_term). It is recorded for every mapped event, so it is the one to count
--   immune-related toxicity by (e.g. grade >= 3 per cohort).

with

cohort as (

    select * from {{ ref('cohort') }}

),

adverse_events as (

    select * from {{ ref('adverse_events') }}

),

group_sizes as (

    select
        disease,
        cohort,
        count(*) as n_cohort
    from cohort
    group by disease, cohort

),

event_counts as (

    select
        disease,
        cohort,
        count(*) as n_events,
        sum(case when is_immune_related is null then 1 else 0 end) as n_events_flag_not_recorded,
        sum(case when is_immune_related then 1 else 0 end) as n_events_flagged,
        count(distinct case when is_immune_related then patient_id end) as n_patients_flagged,
        count(distinct case when is_immune_related and ctcae_grade >= 3 then patient_id end)
            as n_patients_flagged_grade3plus,
        sum(case when is_immune_related_term then 1 else 0 end) as n_events_term,
        count(distinct case when is_immune_related_term then patient_id end) as n_patients_term,
        count(distinct case when is_immune_related_term and ctcae_grade >= 3 then patient_id end)
            as n_patients_term_grade3plus
    from adverse_events
    group by disease, cohort

),

results as (

    select
        group_sizes.disease,
        group_sizes.cohort,
        group_sizes.n_cohort,
        coalesce(event_counts.n_events, 0) as n_events,
        coalesce(event_counts.n_events_flag_not_recorded, 0) as n_events_flag_not_recorded,
        coalesce(event_counts.n_events_flagged, 0) as n_events_flagged,
        coalesce(event_counts.n_patients_flagged, 0) as n_patients_flagged,
        coalesce(event_counts.n_patients_flagged_grade3plus, 0) as n_patients_flagged_grade3plus,
        coalesce(event_counts.n_events_term, 0) as n_events_term,
        coalesce(event_counts.n_patients_term, 0) as n_patients_term,
        coalesce(event_counts.n_patients_term_grade3plus, 0) as n_patients_term_grade3plus
    from group_sizes
    left join event_counts
        on group_sizes.disease = event_counts.disease
            and group_sizes.cohort = event_counts.cohort

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
