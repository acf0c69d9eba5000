-- Grain: one row per disease, cohort and characteristic.
-- Patient characteristics as the paper reports them (Results, "Patient characteristics";
-- the report's characteristics table), over marts.cohort:
-- - statistic `count`: patients with the characteristic (n_patients) and their percent of the
--   group (pct); `agent_<name>` = patients with that PD-1, PD-L1 or CTLA-4 agent started before
--   day 1 (a patient counts under each of its agents); `agent_nivolumab_plus_ipilimumab` =
--   patients with one regimen (therapy line) in which both started before day 1.
-- - statistic `summary`: a marts.cohort column summarised over the patients with a value
--   (n_patients): mean, sample SD, plain median (the middle value or the mean of the two
--   middle values), minimum, maximum.
-- Months = days / 30.4375 (the marts.cohort columns).

{%- set counts = [
    ('patients', 'true'),
    ('sex_m', "sex = 'M'"),
    ('sex_f', "sex = 'F'"),
    ('sex_u', "sex is null or sex not in ('M', 'F')"),
    ('ecog_0', 'ecog = 0'),
    ('ecog_1', 'ecog = 1'),
    ('ecog_2plus', 'ecog >= 2'),
    ('ecog_missing', 'ecog is null'),
    ('metastatic_sites_3plus', 'n_metastatic_sites >= 3'),
    ('ldh_above_uln', 'ldh_value > ldh_uln'),
    ('mutation_status_reported', 'is_mutation_status_reported'),
    ('braf_mutant', "upper(braf_status) = 'MUTANT'"),
    ('nras_mutant', "upper(nras_status) = 'MUTANT'"),
    ('ckit_mutant', "upper(ckit_status) = 'MUTANT'"),
    ('prior_pd1', 'has_prior_pd1'),
    ('prior_pdl1', 'has_prior_pdl1'),
    ('prior_ctla4', 'has_prior_ctla4'),
    ('prior_braf_mek', 'has_prior_braf_mek'),
    ('prior_vegf_tki', 'has_prior_vegf_tki'),
    ('prior_icb_response_recorded', 'prior_icb_best_response is not null'),
    ('prior_icb_response_CR', "prior_icb_best_response = 'CR'"),
    ('prior_icb_response_PR', "prior_icb_best_response = 'PR'"),
    ('prior_icb_response_SD', "prior_icb_best_response = 'SD'"),
    ('prior_icb_response_PD', "prior_icb_best_response = 'PD'"),
    ('prior_icb_response_NE', "prior_icb_best_response = 'NE'"),
] %}
{%- set measures = [
    'age_at_day1',
    'ldh_value',
    'n_metastatic_sites',
    'months_metastatic_dx_to_day1',
    'months_on_pd1',
    'months_pd1_end_to_day1',
    'months_il2_treatment',
    'mean_doses_per_cycle',
    'months_follow_up',
] %}

with

cohort as (

    select * from {{ ref('cohort') }}

),

therapy_line_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

group_sizes as (

    select
        disease,
        cohort,
        count(*) as n_cohort
    from cohort
    group by disease, cohort

),

flag_counts as (
    {% for name, condition in counts %}
    select
        disease,
        cohort,
        '{{ name }}' as characteristic,
        sum(case when {{ condition }} then 1 else 0 end) as n_patients
    from cohort
    group by disease, cohort
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

icb_agents_before_day1 as (

    select distinct
        cohort.disease,
        cohort.cohort,
        cohort.patient_id,
        therapy_line_agents.therapy_line_id,
        therapy_line_agents.agent_name
    from therapy_line_agents
    inner join cohort
        on therapy_line_agents.patient_id = cohort.patient_id
    where therapy_line_agents.start_date < cohort.day1_date
        and therapy_line_agents.drug_class in ('PD-1', 'PD-L1', 'CTLA-4')

),

agent_counts as (

    select
        disease,
        cohort,
        'agent_' || agent_name as characteristic,
        count(distinct patient_id) as n_patients
    from icb_agents_before_day1
    group by disease, cohort, agent_name

),

combination_regimens as (

    select
        disease,
        cohort,
        patient_id
    from icb_agents_before_day1
    group by disease, cohort, patient_id, therapy_line_id
    having sum(case when agent_name = 'nivolumab' then 1 else 0 end) > 0
        and sum(case when agent_name = 'ipilimumab' then 1 else 0 end) > 0

),

combination_counts as (

    select
        group_sizes.disease,
        group_sizes.cohort,
        'agent_nivolumab_plus_ipilimumab' as characteristic,
        count(distinct combination_regimens.patient_id) as n_patients
    from group_sizes
    left join combination_regimens
        on group_sizes.disease = combination_regimens.disease
            and group_sizes.cohort = combination_regimens.cohort
    group by group_sizes.disease, group_sizes.cohort

),

all_counts as (

    select * from flag_counts
    union all
    select * from agent_counts
    union all
    select * from combination_counts

),

measure_values as (
    {% for column in measures %}
    select
        disease,
        cohort,
        '{{ column }}' as characteristic,
        cast({{ column }} as double) as value
    from cohort
    where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

measure_values_ordered as (

    select
        disease,
        cohort,
        characteristic,
        value,
        row_number() over (partition by disease, cohort, characteristic order by value) as position,
        count(*) over (partition by disease, cohort, characteristic) as n_values
    from measure_values

),

summaries as (

    select
        disease,
        cohort,
        characteristic,
        count(*) as n_patients,
        {{ deterministic_mean('value') }} as mean,
        {{ deterministic_stddev_samp('value') }} as sd,
        -- the plain median: the middle value, or the mean of the two middle values
        avg(
            case
                when position in (
                        cast(floor((n_values + 1) / 2.0) as integer),
                        cast(ceiling((n_values + 1) / 2.0) as integer)
                    ) then value
            end
        ) as median,
        min(value) as minimum,
        max(value) as maximum
    from measure_values_ordered
    group by disease, cohort, characteristic

),

count_rows as (

    select
        all_counts.disease,
        all_counts.cohort,
        all_counts.characteristic,
        'count' as statistic,
        all_counts.n_patients,
        group_sizes.n_cohort,
        100.0 * all_counts.n_patients / group_sizes.n_cohort as pct,
        null as mean,
        null as sd,
        null as median,
        null as minimum,
        null as maximum
    from all_counts
    inner join group_sizes
        on all_counts.disease = group_sizes.disease
            and all_counts.cohort = group_sizes.cohort

),

summary_rows as (

    select
        summaries.disease,
        summaries.cohort,
        summaries.characteristic,
        'summary' as statistic,
        summaries.n_patients,
        group_sizes.n_cohort,
        null as pct,
        summaries.mean,
        summaries.sd,
        summaries.median,
        summaries.minimum,
        summaries.maximum
    from summaries
    inner join group_sizes
        on summaries.disease = group_sizes.disease
            and summaries.cohort = group_sizes.cohort

),

-- each branch cast to the contract's types before the union (macro contract_columns)
final as (

    select
        {{ contract_columns('count_rows') }}
    from count_rows

    union all

    select
        {{ contract_columns('summary_rows') }}
    from summary_rows

)

select * from final
