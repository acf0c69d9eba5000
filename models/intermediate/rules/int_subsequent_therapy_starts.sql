-- Grain: one row per patient in the analysis (patient_id).
-- Subsequent anti-cancer therapy, decided by dates like the cohort: a regimen (from either
-- therapy form) started after day 1 is subsequent. One started on day 1 is neither prior nor
-- subsequent. Starts after the data cut-off are ignored for analysis (has_start_after_data_cutoff
-- says there was one). Partial start dates are used as imputed.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

starts_after_day1 as (

    select
        therapy_lines.patient_id,
        therapy_lines.start_date,
        population.data_cutoff_date
    from therapy_lines
    inner join population
        on therapy_lines.patient_id = population.patient_id
    where therapy_lines.start_date > population.day1_date

),

final as (

    select
        population.patient_id,
        min(case when starts.start_date <= starts.data_cutoff_date then starts.start_date end)
            as first_start_date,
        max(case when starts.start_date <= starts.data_cutoff_date then starts.start_date end)
            as last_start_date,
        max(case when starts.start_date > starts.data_cutoff_date then 1 else 0 end) = 1
            as has_start_after_data_cutoff
    from population
    left join starts_after_day1 as starts
        on population.patient_id = starts.patient_id
    group by population.patient_id

)

select * from final
