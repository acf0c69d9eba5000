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

final as (

    select
        cast(il2_cycles.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(analysis_patients.disease as {{ dbt.type_string() }}) as disease,
        cast(analysis_patients.cohort as {{ dbt.type_string() }}) as cohort,
        cast(il2_cycles.course_number as integer) as course_number,
        cast(il2_cycles.cycle_in_course as integer) as cycle_in_course,
        cast(il2_cycles.cycle_seq as integer) as cycle_seq,
        cast(il2_cycles.admission_date as date) as admission_date,
        cast(il2_cycles.discharge_date as date) as discharge_date,
        cast(il2_cycles.dose_level_iu_per_kg as integer) as dose_level_iu_per_kg,
        cast(il2_cycles.doses_planned as integer) as doses_planned,
        cast(il2_cycles.doses_given as integer) as doses_given,
        cast(il2_cycles.stop_reason as {{ dbt.type_string() }}) as stop_reason,
        cast(analysis_patients.site_id as {{ dbt.type_string() }}) as site_id
    from il2_cycles
    inner join analysis_patients
        on il2_cycles.patient_id = analysis_patients.patient_id
    where il2_cycles.admission_date <= analysis_patients.data_cutoff_date

)

select * from final
