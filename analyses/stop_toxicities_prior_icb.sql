-- Toxicities that led to stopping HD IL-2 in the prior_icb cohort, by preferred term (the
-- paper: "Hypotension was the most common ...", Table S2). One row per disease and term, most
-- frequent first: mentions (cycle x toxicity rows) and distinct patients. Disease 'all' pools
-- both. The figures are marts.stop_toxicity_terms (defined once there).
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/stop_toxicities_prior_icb.sql.

with

stop_toxicity_terms as (

    select * from {{ ref('stop_toxicity_terms') }}
    where cohort = 'prior_icb'

),

final as (

    select
        disease,
        toxicity_term,
        toxicity_category,
        n_mentions,
        n_patients
    from stop_toxicity_terms

)

select * from final
order by disease, n_mentions desc, toxicity_term
