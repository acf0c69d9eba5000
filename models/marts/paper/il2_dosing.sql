-- Grain: one row per disease, cohort, measure and category.
-- HD IL-2 dosing as the paper reports it (Results, "Toxicity"; Table S3):
-- - measure `doses_per_cycle` (category `all cycles with a dose`): doses given per cycle, mean
--   and sample SD pooled over every cycle with at least one dose; n = cycles, n_patients their
--   patients.
-- - measure `cycles_received`: patients per cycles received (`0` = cycle rows but none with a
--   dose, `1` .. `4`, `more_than_4`, `not_available` = no cycle rows: not zero); n = patients,
--   pct_of_available = % of the patients with cycle data, pct_of_cohort = % of the group.

with

cycles as (

    select * from {{ ref('il2_cycles') }}
    where doses_given >= 1

),

cohort as (

    select * from {{ ref('cohort') }}

),

doses_per_cycle as (

    select
        disease,
        cohort,
        'doses_per_cycle' as measure,
        'all cycles with a dose' as category,
        count(*) as n,
        count(distinct patient_id) as n_patients,
        {{ deterministic_mean('doses_given') }} as mean,
        {{ deterministic_stddev_samp('doses_given') }} as sd,
        cast(min(doses_given) as double) as minimum,
        cast(max(doses_given) as double) as maximum,
        cast(null as double) as pct_of_available,
        cast(null as double) as pct_of_cohort
    from cycles
    group by disease, cohort

),

cycle_categories as (

    select
        disease,
        cohort,
        case
            when cycles_received is null then 'not_available'
            when cycles_received > 4 then 'more_than_4'
            else cast(cycles_received as {{ dbt.type_string() }})
        end as category
    from cohort

),

group_sizes as (

    select
        disease,
        cohort,
        count(*) as n_cohort,
        sum(case when category <> 'not_available' then 1 else 0 end) as n_available
    from cycle_categories
    group by disease, cohort

),

category_counts as (

    select
        disease,
        cohort,
        category,
        count(*) as n
    from cycle_categories
    group by disease, cohort, category

),

cycles_received as (

    select
        category_counts.disease,
        category_counts.cohort,
        'cycles_received' as measure,
        category_counts.category,
        category_counts.n,
        category_counts.n as n_patients,
        cast(null as double) as mean,
        cast(null as double) as sd,
        cast(null as double) as minimum,
        cast(null as double) as maximum,
        case
            when category_counts.category <> 'not_available' and group_sizes.n_available > 0
                then 100.0 * category_counts.n / group_sizes.n_available
        end as pct_of_available,
        100.0 * category_counts.n / group_sizes.n_cohort as pct_of_cohort
    from category_counts
    inner join group_sizes
        on category_counts.disease = group_sizes.disease
            and category_counts.cohort = group_sizes.cohort

),

unioned as (

    select * from doses_per_cycle
    union all
    select * from cycles_received

),

results as (

    select
        disease,
        cohort,
        measure,
        category,
        n,
        n_patients,
        mean,
        sd,
        minimum,
        maximum,
        pct_of_available,
        pct_of_cohort
    from unioned

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
