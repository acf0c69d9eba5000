-- Check unmapped_regimen (structural: a row's own values): a therapy line's regimen text
-- matches no synonym and no pattern of the terminology (agent `unmapped`).

with

therapy_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

findings as (

    select
        therapy_lines.source_file as file,
        therapy_lines.source_row_number as row_number,
        therapy_lines.patient_id,
        'unmapped_regimen' as check_name,
        'regimen text matches no synonym or pattern: ' || therapy_lines.regimen_text as detail,
        'regimen_text' as column_name,
        therapy_lines.regimen_text as value
    from therapy_agents
    inner join therapy_lines
        on therapy_agents.therapy_line_id = therapy_lines.therapy_line_id
    where therapy_agents.agent_name = 'unmapped'

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
