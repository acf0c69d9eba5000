-- HD IL-2 dosing in the prior_icb cohort as the paper reports it (Results, "Toxicity"; Table S3):
-- doses per cycle, mean and sample SD pooled over every cycle with at least one dose given; and
-- cycles received per patient (1, 2, 3, 4, more than 4) among patients whose cycle data are
-- available, with the patients without cycle data counted apart (`not_available`).
-- The figures are marts.il2_dosing (defined once there).
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/il2_dosing_prior_icb.sql.

with

dosing as (

    select * from {{ ref('il2_dosing') }}
    where cohort = 'prior_icb'

),

final as (

    select
        disease,
        measure,
        category,
        n,
        mean,
        sd,
        pct_of_available as pct
    from dosing

)

select * from final
order by disease, measure, category
