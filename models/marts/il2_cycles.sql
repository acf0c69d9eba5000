-- Grain: one row per HD IL-2 cycle (patient_id, course_number, cycle_in_course).
-- Cycles of patients in the analysis admitted on or before the data cut-off; doses_given is
-- the number of rows in the dose log for that cycle (DATA_DICTIONARY "Doses per cycle").

with

analysis_patients as (

    select * from {{ ref('int_analysis_patients') }}

),

il2_cycles as (

    select * from {{ ref('fct_il2_cycles') }}

),

results as (

    select
        il2_cycles.patient_id,
        analysis_patients.disease,
        analysis_patients.cohort,
        il2_cycles.course_number,
        il2_cycles.cycle_in_course,
        il2_cycles.cycle_seq,
        il2_cycles.admission_date,
        il2_cycles.discharge_date,
        il2_cycles.dose_level_iu_per_kg,
        il2_cycles.doses_planned,
        il2_cycles.doses_given,
        il2_cycles.stop_reason,
        analysis_patients.site_id
    from il2_cycles
    inner join analysis_patients
        on il2_cycles.patient_id = analysis_patients.patient_id
    where il2_cycles.admission_date <= analysis_patients.data_cutoff_date

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
