-- Grain: one row per patient in the analysis (patient_id).
-- Prior immune checkpoint blockade as the paper describes it (characteristics, not the cohort
-- rule, which is int_cohort). Over agents started before day 1:
-- - prior_icb_agents: the distinct PD-1, PD-L1 and CTLA-4 agents joined with '+', PD-1 first,
--   then PD-L1, then CTLA-4, alphabetical within a class (`nivolumab+ipilimumab`); null when none.
-- - prior_icb_regimens: the same agents regimen by regimen, each regimen's agents joined with
--   '+' in that order, regimens joined with ', ' in start order (`pembrolizumab, nivolumab+ipilimumab`):
--   tells a combination regimen from two regimens.
-- - prior_icb_best_response: investigator best response of the last PD-1/PD-L1 regimen (latest
--   start; ties: highest line number); null when not recorded there.
-- - months_on_pd1: first PD-1/PD-L1 start to the last PD-1/PD-L1 end before day 1;
--   months_pd1_end_to_day1: that last end to day 1. The last end is the latest end date before
--   day 1 of the PD-1/PD-L1 regimens; both are null when no such end date is recorded, and
--   outside prior_icb (no PD-1/PD-L1 agent before day 1).

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

therapy_line_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

icb_agents_before_day1 as (

    select
        therapy_line_agents.patient_id,
        therapy_line_agents.therapy_line_id,
        therapy_line_agents.agent_name,
        therapy_line_agents.drug_class,
        therapy_line_agents.start_date,
        therapy_line_agents.end_date,
        therapy_line_agents.best_response,
        therapy_lines.line_number,
        population.day1_date,
        case therapy_line_agents.drug_class
            when 'PD-1' then 1
            when 'PD-L1' then 2
            else 3
        end as class_order
    from therapy_line_agents
    inner join population
        on therapy_line_agents.patient_id = population.patient_id
    left join therapy_lines
        on therapy_line_agents.therapy_line_id = therapy_lines.therapy_line_id
    where therapy_line_agents.start_date < population.day1_date
        and therapy_line_agents.drug_class in ('PD-1', 'PD-L1', 'CTLA-4')

),

distinct_agents as (

    select distinct
        patient_id,
        agent_name,
        class_order
    from icb_agents_before_day1

),

agent_lists as (

    select
        patient_id,
        {{ il2_registry.ordered_listagg('agent_name', "'+'", ['class_order', 'agent_name']) }} as prior_icb_agents
    from distinct_agents
    group by patient_id

),

regimen_agent_lists as (

    select
        patient_id,
        therapy_line_id,
        min(start_date) as start_date,
        min(line_number) as line_number,
        {{ il2_registry.ordered_listagg('agent_name', "'+'", ['class_order', 'agent_name']) }} as regimen_agents
    from icb_agents_before_day1
    group by patient_id, therapy_line_id

),

regimen_lists as (

    select
        patient_id,
        {{ il2_registry.ordered_listagg('regimen_agents', "', '", ['start_date', 'line_number', 'therapy_line_id']) }}
            as prior_icb_regimens
    from regimen_agent_lists
    group by patient_id

),

pd1_lines as (

    select distinct
        patient_id,
        therapy_line_id,
        line_number,
        start_date,
        end_date,
        best_response,
        day1_date
    from icb_agents_before_day1
    where drug_class in ('PD-1', 'PD-L1')

),

pd1_lines_ordered as (

    select
        *,
        row_number() over (
            partition by patient_id
            order by start_date desc, line_number desc, therapy_line_id desc
        ) as recency
    from pd1_lines

),

pd1_exposure as (

    select
        patient_id,
        min(start_date) as first_pd1_start_date,
        max(case when end_date < day1_date then end_date end) as last_pd1_end_date,
        max(case when recency = 1 then best_response end) as last_regimen_best_response
    from pd1_lines_ordered
    group by patient_id

),

final as (

    select
        population.patient_id,
        agent_lists.prior_icb_agents,
        regimen_lists.prior_icb_regimens,
        pd1.last_regimen_best_response as prior_icb_best_response,
        pd1.first_pd1_start_date,
        pd1.last_pd1_end_date,
        {{ months_between('pd1.first_pd1_start_date', 'pd1.last_pd1_end_date') }} as months_on_pd1,
        {{ months_between('pd1.last_pd1_end_date', 'population.day1_date') }} as months_pd1_end_to_day1
    from population
    left join agent_lists
        on population.patient_id = agent_lists.patient_id
    left join regimen_lists
        on population.patient_id = regimen_lists.patient_id
    left join pd1_exposure as pd1
        on population.patient_id = pd1.patient_id

)

select * from final
