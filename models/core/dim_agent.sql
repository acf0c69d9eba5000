with agents as (
    select agent_name, drug_class from {{ ref('agents') }}
),

final as (
    select agent_name, drug_class from agents
    union all
    select 'unmapped' as agent_name, 'UNMAPPED' as drug_class
)

select * from final
