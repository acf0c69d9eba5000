-- Patient characteristics of the prior_icb cohort under the paper's names (Results, "Patient
-- characteristics", "Response rates and survival"): counts, means with (min-max), the median
-- follow-up with (min-max). One row per disease and characteristic; `value` holds the count or
-- mean (median for follow-up), `minimum`/`maximum` the range, `n` the patients with a value.
-- The figures are marts.characteristics (defined once there); this analysis only picks and
-- renames them. Rules: docs/derivation_rules.md. Months = days / 30.4375.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/characteristics_prior_icb.sql.

with

characteristics as (

    select * from {{ ref('characteristics') }}
    where cohort = 'prior_icb'

),

counts as (

    select
        disease,
        case characteristic
            when 'prior_braf_mek' then 'prior_braf_inhibitor'
            when 'prior_icb_response_recorded' then 'prior_pd1_response_recorded'
            else replace(characteristic, 'prior_icb_response_', 'prior_pd1_response_')
        end as characteristic,
        'count' as statistic,
        cast(n_patients as double) as value,
        cast(null as double) as minimum,
        cast(null as double) as maximum,
        cast(null as bigint) as n
    from characteristics
    where statistic = 'count'
        and (n_patients > 0 or characteristic not like 'prior_icb_response_%')

),

summaries as (

    select
        disease,
        case characteristic
            when 'ldh_value' then 'ldh_u_per_l'
            when 'months_metastatic_dx_to_day1' then 'months_metastatic_dx_to_il2'
            when 'months_il2_treatment' then 'months_il2_treatment_duration'
            when 'months_pd1_end_to_day1' then 'months_pd1_end_to_il2'
            when 'months_follow_up' then 'median_follow_up_months'
            else characteristic
        end as characteristic,
        case when characteristic = 'months_follow_up' then 'median' else 'mean' end as statistic,
        case when characteristic = 'months_follow_up' then median else mean end as value,
        minimum,
        maximum,
        n_patients as n
    from characteristics
    where statistic = 'summary'

),

final as (

    select * from counts
    union all
    select * from summaries

)

select * from final
order by disease, statistic, characteristic
