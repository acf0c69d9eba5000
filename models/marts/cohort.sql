-- Grain: one row per patient in the analysis (patient_id).
-- The analyst's patient table: cohort (int_cohort), baseline, prior therapy (int_prior_icb_history),
-- HD IL-2 received (int_il2_exposure) and follow-up (int_overall_survival's end: death or last
-- date known alive, capped at the data cut-off).

with

analysis_patients as (

    select * from {{ ref('int_analysis_patients') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

baseline as (

    select * from {{ ref('fct_baseline_assessments') }}

),

prior_icb as (

    select * from {{ ref('int_prior_icb_history') }}

),

il2_exposure as (

    select * from {{ ref('int_il2_exposure') }}

),

overall_survival as (

    select * from {{ ref('int_overall_survival') }}

),

final as (

    select
        cast(analysis_patients.patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(analysis_patients.site_id as {{ dbt.type_string() }}) as site_id,
        cast(analysis_patients.disease as {{ dbt.type_string() }}) as disease,
        cast(analysis_patients.cohort as {{ dbt.type_string() }}) as cohort,
        cast(analysis_patients.day1_date as date) as day1_date,
        cast(patients.age_at_day1 as integer) as age_at_day1,
        cast(patients.sex as {{ dbt.type_string() }}) as sex,
        cast(baseline.ecog as integer) as ecog,
        cast(baseline.n_metastatic_sites as integer) as n_metastatic_sites,
        cast(baseline.ldh_value as double) as ldh_value,
        cast(baseline.ldh_uln as double) as ldh_uln,
        cast(baseline.braf_status as {{ dbt.type_string() }}) as braf_status,
        cast(baseline.nras_status as {{ dbt.type_string() }}) as nras_status,
        cast(baseline.ckit_status as {{ dbt.type_string() }}) as ckit_status,
        cast(coalesce(baseline.is_mutation_status_reported, false) as boolean) as is_mutation_status_reported,
        cast(analysis_patients.has_prior_pd1 as boolean) as has_prior_pd1,
        cast(analysis_patients.has_prior_pdl1 as boolean) as has_prior_pdl1,
        cast(analysis_patients.has_prior_ctla4 as boolean) as has_prior_ctla4,
        cast(analysis_patients.has_prior_braf_mek as boolean) as has_prior_braf_mek,
        cast(analysis_patients.has_prior_vegf_tki as boolean) as has_prior_vegf_tki,
        cast(prior_icb.prior_icb_agents as {{ dbt.type_string() }}) as prior_icb_agents,
        cast(prior_icb.prior_icb_regimens as {{ dbt.type_string() }}) as prior_icb_regimens,
        cast(prior_icb.prior_icb_best_response as {{ dbt.type_string() }}) as prior_icb_best_response,
        cast(patients.metastatic_diagnosis_date as date) as metastatic_diagnosis_date,
        cast(patients.metastatic_diagnosis_date_imputation as {{ dbt.type_string() }}) as metastatic_diagnosis_date_imputation,
        cast(
            {{ months_between('patients.metastatic_diagnosis_date', 'analysis_patients.day1_date') }} as double
        ) as months_metastatic_dx_to_day1,
        cast(prior_icb.months_on_pd1 as double) as months_on_pd1,
        cast(prior_icb.months_pd1_end_to_day1 as double) as months_pd1_end_to_day1,
        cast(il2_exposure.cycles_received as integer) as cycles_received,
        cast(il2_exposure.mean_doses_per_cycle as double) as mean_doses_per_cycle,
        cast(il2_exposure.last_dose_date as date) as last_dose_date,
        cast(il2_exposure.months_il2_treatment as double) as months_il2_treatment,
        cast(overall_survival.end_date as date) as follow_up_end_date,
        cast(overall_survival.time_months as double) as months_follow_up
    from analysis_patients
    inner join patients
        on analysis_patients.patient_id = patients.patient_id
    left join baseline
        on analysis_patients.patient_id = baseline.patient_id
    left join prior_icb
        on analysis_patients.patient_id = prior_icb.patient_id
    left join il2_exposure
        on analysis_patients.patient_id = il2_exposure.patient_id
    left join overall_survival
        on analysis_patients.patient_id = overall_survival.patient_id

)

select * from final
