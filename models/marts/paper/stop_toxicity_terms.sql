-- Grain: one row per disease (mM, mRCC and `all` pooling both), cohort and preferred term.
-- Toxicities that led to stopping HD IL-2 (the paper: "Hypotension was the most common ...",
-- Table S2): mentions (cycle x toxicity rows of marts.stop_toxicities), distinct cycles and
-- distinct patients with the term.

with

stop_toxicities as (

    select * from {{ ref('stop_toxicities') }}

),

rows_by_disease as (

    select disease, cohort, toxicity_term, toxicity_category, patient_id, course_number, cycle_in_course
    from stop_toxicities
    union all
    select 'all' as disease, cohort, toxicity_term, toxicity_category, patient_id, course_number, cycle_in_course
    from stop_toxicities

),

cycles as (

    select distinct disease, cohort, toxicity_term, patient_id, course_number, cycle_in_course
    from rows_by_disease

),

cycle_counts as (

    select disease, cohort, toxicity_term, count(*) as n_cycles
    from cycles
    group by disease, cohort, toxicity_term

),

mention_counts as (

    select
        disease,
        cohort,
        toxicity_term,
        min(toxicity_category) as toxicity_category,
        count(*) as n_mentions,
        count(distinct patient_id) as n_patients
    from rows_by_disease
    group by disease, cohort, toxicity_term

),

results as (

    select
        mention_counts.disease,
        mention_counts.cohort,
        mention_counts.toxicity_term,
        mention_counts.toxicity_category,
        mention_counts.n_mentions,
        cycle_counts.n_cycles,
        mention_counts.n_patients
    from mention_counts
    inner join cycle_counts
        on mention_counts.disease = cycle_counts.disease
            and mention_counts.cohort = cycle_counts.cohort
            and mention_counts.toxicity_term = cycle_counts.toxicity_term

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
