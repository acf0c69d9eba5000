-- Grain: one row per patient in the analysis (patient_id).
-- Rule "cohort" (DATA_DICTIONARY, Derivation rules): `prior_icb` when any PD-1 or PD-L1 agent
-- started before day 1, otherwise `il2_alone`. Decided by dates, not by the form the regimen
-- came from: a PD-1 agent started on or after day 1 is not prior, and anti-CTLA-4 alone
-- (ipilimumab) is not PD-1/PD-L1 inhibition. Partial start dates are used as imputed (ADaM).
-- The has_prior_* flags apply the same "started before day 1" test to other drug classes.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

therapy_line_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

agents_before_day1 as (

    select
        therapy_line_agents.patient_id,
        therapy_line_agents.drug_class
    from therapy_line_agents
    inner join population
        on therapy_line_agents.patient_id = population.patient_id
    where therapy_line_agents.start_date < population.day1_date

),

classes_per_patient as (

    select
        patient_id,
        max(case when drug_class = 'PD-1' then 1 else 0 end) as n_pd1,
        max(case when drug_class = 'PD-L1' then 1 else 0 end) as n_pdl1,
        max(case when drug_class = 'CTLA-4' then 1 else 0 end) as n_ctla4,
        max(case when drug_class = 'BRAF/MEK' then 1 else 0 end) as n_braf_mek,
        max(case when drug_class = 'VEGF TKI' then 1 else 0 end) as n_vegf_tki
    from agents_before_day1
    group by patient_id

),

final as (

    select
        population.patient_id,
        case
            when coalesce(classes.n_pd1, 0) = 1 or coalesce(classes.n_pdl1, 0) = 1 then 'prior_icb'
            else 'il2_alone'
        end as cohort,
        coalesce(classes.n_pd1, 0) = 1 as has_prior_pd1,
        coalesce(classes.n_pdl1, 0) = 1 as has_prior_pdl1,
        coalesce(classes.n_ctla4, 0) = 1 as has_prior_ctla4,
        coalesce(classes.n_braf_mek, 0) = 1 as has_prior_braf_mek,
        coalesce(classes.n_vegf_tki, 0) = 1 as has_prior_vegf_tki
    from population
    left join classes_per_patient as classes
        on population.patient_id = classes.patient_id

)

select * from final
