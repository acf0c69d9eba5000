-- Patient characteristics of the prior_icb cohort as the paper reports them (Results, "Patient
-- characteristics", "Response rates and survival"): counts, means with (min-max), the median
-- follow-up with (min-max). One row per disease and characteristic; `value` holds the count or
-- mean (median for follow-up), `minimum`/`maximum` the range, `n` the patients with a value.
-- Rules behind the columns: docs/derivation_rules.md. Months = days / 30.4375.
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/characteristics_prior_icb.sql.

with

cohort as (

    select * from {{ ref('cohort') }}
    where cohort = 'prior_icb'

),

agent_flags as (

    -- '+' around the list so that each agent is matched whole
    select
        disease,
        case when '+' || prior_icb_agents || '+' like '%+nivolumab+%' then 1 else 0 end as has_nivolumab,
        case when '+' || prior_icb_agents || '+' like '%+pembrolizumab+%' then 1 else 0 end as has_pembrolizumab,
        case when '+' || prior_icb_agents || '+' like '%+atezolizumab+%' then 1 else 0 end as has_atezolizumab,
        case when '+' || prior_icb_agents || '+' like '%+pd1_agent_not_recorded+%' then 1 else 0 end
            as has_pd1_agent_not_recorded,
        -- one regimen combining both (prior_icb_regimens lists regimens separated by ', ')
        case when ', ' || prior_icb_regimens || ', ' like '%, nivolumab+ipilimumab, %' then 1 else 0 end
            as has_nivolumab_plus_ipilimumab
    from cohort

),

counts as (

    select disease, 'patients' as characteristic, count(*) as value from cohort group by disease
    union all
    select disease, 'agent_nivolumab', sum(has_nivolumab) from agent_flags group by disease
    union all
    select disease, 'agent_pembrolizumab', sum(has_pembrolizumab) from agent_flags group by disease
    union all
    select disease, 'agent_atezolizumab', sum(has_atezolizumab) from agent_flags group by disease
    union all
    select disease, 'agent_pd1_agent_not_recorded', sum(has_pd1_agent_not_recorded) from agent_flags group by disease
    union all
    select disease, 'agent_nivolumab_plus_ipilimumab', sum(has_nivolumab_plus_ipilimumab) from agent_flags group by disease
    union all
    select disease, 'mutation_status_reported', sum(case when is_mutation_status_reported then 1 else 0 end)
    from cohort group by disease
    union all
    select disease, 'braf_mutant', sum(case when braf_status = 'MUTANT' then 1 else 0 end) from cohort group by disease
    union all
    select disease, 'nras_mutant', sum(case when nras_status = 'MUTANT' then 1 else 0 end) from cohort group by disease
    union all
    select disease, 'ckit_mutant', sum(case when ckit_status = 'MUTANT' then 1 else 0 end) from cohort group by disease
    union all
    select disease, 'prior_braf_inhibitor', sum(case when has_prior_braf_mek then 1 else 0 end) from cohort group by disease
    union all
    select disease, 'prior_vegf_tki', sum(case when has_prior_vegf_tki then 1 else 0 end) from cohort group by disease
    union all
    select disease, 'prior_pd1_response_recorded', count(prior_icb_best_response) from cohort group by disease
    union all
    select disease, 'prior_pd1_response_' || prior_icb_best_response, count(*)
    from cohort where prior_icb_best_response is not null group by disease, prior_icb_best_response

),

measures as (

    select disease, 'ldh_u_per_l' as characteristic, ldh_value as value from cohort
    union all
    select disease, 'months_metastatic_dx_to_il2', months_metastatic_dx_to_day1 from cohort
    union all
    select disease, 'months_il2_treatment_duration', months_il2_treatment from cohort
    union all
    select disease, 'months_pd1_end_to_il2', months_pd1_end_to_day1 from cohort
    union all
    select disease, 'months_on_pd1', months_on_pd1 from cohort

),

means as (

    select
        disease,
        characteristic,
        'mean' as statistic,
        avg(value) as value,
        min(value) as minimum,
        max(value) as maximum,
        count(value) as n
    from measures
    group by disease, characteristic

),

follow_up_ordered as (

    select
        disease,
        months_follow_up,
        row_number() over (partition by disease order by months_follow_up) as position,
        count(*) over (partition by disease) as n
    from cohort
    where months_follow_up is not null

),

-- the plain median: the middle value, or the mean of the two middle values
median_follow_up as (

    select
        disease,
        'median_follow_up_months' as characteristic,
        'median' as statistic,
        avg(
            case
                when position in (cast(floor((n + 1) / 2.0) as integer), cast(ceiling((n + 1) / 2.0) as integer))
                    then months_follow_up
            end
        ) as value,
        min(months_follow_up) as minimum,
        max(months_follow_up) as maximum,
        max(n) as n
    from follow_up_ordered
    group by disease

),

final as (

    select
        disease,
        characteristic,
        'count' as statistic,
        cast(value as double) as value,
        cast(null as double) as minimum,
        cast(null as double) as maximum,
        cast(null as bigint) as n
    from counts

    union all

    select disease, characteristic, statistic, value, minimum, maximum, n from means

    union all

    select disease, characteristic, statistic, value, minimum, maximum, n from median_follow_up

)

select * from final
order by disease, statistic, characteristic
