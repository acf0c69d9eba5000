-- HD IL-2 dosing in the prior_icb cohort as the paper reports it (Results, "Toxicity"; Table S3):
-- doses per cycle, mean and sample SD pooled over every cycle with at least one dose given; and
-- cycles received per patient (1, 2, 3, 4, more than 4) among patients whose cycle data are
-- available (cycles_received not null), with the patients without cycle data counted apart.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/il2_dosing_prior_icb.sql.

with

cycles as (

    select * from {{ ref('il2_cycles') }}
    where cohort = 'prior_icb'
        and doses_given >= 1

),

cohort as (

    select * from {{ ref('cohort') }}
    where cohort = 'prior_icb'

),

doses_per_cycle as (

    select
        disease,
        'doses_per_cycle' as measure,
        'all cycles with a dose' as category,
        count(*) as n,
        avg(cast(doses_given as double)) as mean,
        stddev_samp(cast(doses_given as double)) as sd,
        cast(null as double) as pct
    from cycles
    group by disease

),

cycle_categories as (

    select
        disease,
        case
            when cycles_received is null then 'not available'
            when cycles_received > 4 then 'more_than_4'
            else cast(cycles_received as {{ dbt.type_string() }})
        end as category
    from cohort

),

available as (

    select
        disease,
        count(*) as n_available
    from cycle_categories
    where category <> 'not available'
    group by disease

),

cycles_received as (

    select
        cycle_categories.disease,
        'cycles_received' as measure,
        cycle_categories.category,
        count(*) as n,
        cast(null as double) as mean,
        cast(null as double) as sd,
        case
            when cycle_categories.category <> 'not available'
                then 100.0 * count(*) / max(available.n_available)
        end as pct
    from cycle_categories
    left join available
        on cycle_categories.disease = available.disease
    group by cycle_categories.disease, cycle_categories.category

),

final as (

    select * from doses_per_cycle
    union all
    select * from cycles_received

)

select * from final
order by disease, measure, category
