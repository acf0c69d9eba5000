-- Grain: one row per patient in the analysis (patient_id).
-- The patients every mart is about: the population (int_analysis_population: day 1 on or
-- before the data cut-off) with its cohort (int_cohort: prior_icb or il2_alone, and the prior
-- drug classes). The marts join this one model instead of each importing both rules.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

cohort_rule as (

    select * from {{ ref('int_cohort') }}

),

final as (

    select
        population.patient_id,
        population.site_id,
        population.disease,
        cohort_rule.cohort,
        population.day1_date,
        population.data_cutoff_date,
        cohort_rule.has_prior_pd1,
        cohort_rule.has_prior_pdl1,
        cohort_rule.has_prior_ctla4,
        cohort_rule.has_prior_braf_mek,
        cohort_rule.has_prior_vegf_tki
    from population
    inner join cohort_rule
        on population.patient_id = cohort_rule.patient_id

)

select * from final
