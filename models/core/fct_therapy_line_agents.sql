with lines as (
    select * from {{ ref('fct_therapy_lines') }}
),

mapped as (
    select * from {{ ref('int_regimen_texts_mapped') }}
),

agents as (
    select * from {{ ref('dim_agent') }}
),

final as (
    select
        lines.therapy_line_id,
        mapped.agent_name,
        lines.patient_id,
        lines.setting,
        agents.drug_class,
        mapped.match_method,
        lines.start_date,
        lines.start_date_imputation,
        lines.end_date,
        lines.end_date_imputation,
        lines.best_response,
        lines.is_after_data_cutoff
    from lines
    inner join mapped on lines.regimen_text_normalised = mapped.regimen_text_normalised
    inner join agents on mapped.agent_name = agents.agent_name
)

select * from final
