-- Grain: one row per patient in the analysis (patient_id).
-- HD IL-2 received (DATA_DICTIONARY "Doses per cycle", "Cycles received"):
-- - cycles_received: cycles in il2_cycles with at least one dose given; null ("cycle data not
--   available", not zero) for a patient without any il2_cycles row;
-- - mean_doses_per_cycle: doses given per cycle, averaged over the patient's cycles with at
--   least one dose (the same cycles the paper's pooled mean and SD use); null without such a cycle;
-- - last_dose_date and months_il2_treatment: day 1 to the last dose given, rest periods
--   included; null without dose records.
-- Cycles admitted and doses given after the data cut-off are ignored.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

il2_cycles as (

    select * from {{ ref('fct_il2_cycles') }}

),

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

cycles_summary as (

    select
        il2_cycles.patient_id,
        count(*) as n_cycle_records,
        sum(case when il2_cycles.doses_given >= 1 then 1 else 0 end) as cycles_received,
        avg(case when il2_cycles.doses_given >= 1 then cast(il2_cycles.doses_given as double) end)
            as mean_doses_per_cycle
    from il2_cycles
    inner join population
        on il2_cycles.patient_id = population.patient_id
    where il2_cycles.admission_date <= population.data_cutoff_date
    group by il2_cycles.patient_id

),

doses_summary as (

    select
        il2_doses.patient_id,
        max(il2_doses.admin_date) as last_dose_date
    from il2_doses
    inner join population
        on il2_doses.patient_id = population.patient_id
    where il2_doses.admin_date <= population.data_cutoff_date
    group by il2_doses.patient_id

),

final as (

    select
        population.patient_id,
        cast(cycles_summary.cycles_received as integer) as cycles_received,
        cycles_summary.mean_doses_per_cycle,
        doses_summary.last_dose_date,
        {{ months_between('population.day1_date', 'doses_summary.last_dose_date') }} as months_il2_treatment
    from population
    left join cycles_summary
        on population.patient_id = cycles_summary.patient_id
    left join doses_summary
        on population.patient_id = doses_summary.patient_id

)

select * from final
