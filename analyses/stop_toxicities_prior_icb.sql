-- Toxicities that led to stopping HD IL-2 in the prior_icb cohort, by preferred term (the
-- paper: "Hypotension was the most common ...", Table S2). One row per disease and term, most
-- frequent first: mentions (cycle x toxicity rows) and distinct patients. Disease 'all' pools both.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/stop_toxicities_prior_icb.sql.

with

stop_toxicities as (

    select * from {{ ref('stop_toxicities') }}
    where cohort = 'prior_icb'

),

by_disease as (

    select
        disease,
        toxicity_term,
        toxicity_category,
        count(*) as n_mentions,
        count(distinct patient_id) as n_patients
    from stop_toxicities
    group by disease, toxicity_term, toxicity_category

),

pooled as (

    select
        'all' as disease,
        toxicity_term,
        toxicity_category,
        count(*) as n_mentions,
        count(distinct patient_id) as n_patients
    from stop_toxicities
    group by toxicity_term, toxicity_category

),

final as (

    select * from by_disease
    union all
    select * from pooled

)

select * from final
order by disease, n_mentions desc, toxicity_term
