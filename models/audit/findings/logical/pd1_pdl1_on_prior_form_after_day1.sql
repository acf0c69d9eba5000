-- Check pd1_pdl1_on_prior_form_after_day1 (logical: prior-therapy form against day 1): a
-- PD-1 or PD-L1 agent on the prior-therapy form that starts on or after day 1 (not counted
-- as prior).

with

therapy_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

findings as (

    select
        'prior_therapies.csv' as file,
        therapy_lines.source_row_number as row_number,
        therapy_lines.patient_id,
        'pd1_pdl1_on_prior_form_after_day1' as check_name,
        (
            therapy_agents.agent_name || ' (' || therapy_agents.drug_class || ') on the prior-therapy form starts '
            || cast(therapy_agents.start_date as {{ dbt.type_string() }}) || ', on or after day 1 '
            || cast(patients.day1_date as {{ dbt.type_string() }}) || ' (not counted as prior)'
        ) as detail,
        'start_date' as column_name,
        therapy_agents.start_date as value
    from therapy_agents
    inner join therapy_lines
        on therapy_agents.therapy_line_id = therapy_lines.therapy_line_id
    inner join patients
        on therapy_agents.patient_id = patients.patient_id
    where therapy_agents.setting = 'prior'
        and therapy_agents.drug_class in ('PD-1', 'PD-L1')
        and therapy_agents.start_date >= patients.day1_date

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
