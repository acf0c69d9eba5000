-- Check unmapped_regimen (structural: a row's own values): a therapy line's regimen text
-- matches no synonym and no pattern of the terminology (agent `unmapped`).

with

therapy_agents as (

    select * from {{ ref('fct_therapy_line_agents') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

final as (

    select
        cast(therapy_lines.source_file as {{ dbt.type_string() }}) as file,
        cast(therapy_lines.source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(therapy_lines.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('unmapped_regimen' as {{ dbt.type_string() }}) as check_name,
        cast('regimen text matches no synonym or pattern: ' || therapy_lines.regimen_text as {{ dbt.type_string() }})
            as detail,
        cast('regimen_text' as {{ dbt.type_string() }}) as column_name,
        cast(therapy_lines.regimen_text as {{ dbt.type_string() }}) as value
    from therapy_agents
    inner join therapy_lines
        on therapy_agents.therapy_line_id = therapy_lines.therapy_line_id
    where therapy_agents.agent_name = 'unmapped'

)

select * from final
