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

results as (

    select
        analysis_patients.patient_id,
        analysis_patients.site_id,
        analysis_patients.disease,
        analysis_patients.cohort,
        analysis_patients.day1_date,
        patients.age_at_day1,
        patients.sex,
        baseline.ecog,
        baseline.n_metastatic_sites,
        baseline.ldh_value,
        baseline.ldh_uln,
        baseline.braf_status,
        baseline.nras_status,
        baseline.ckit_status,
        coalesce(baseline.is_mutation_status_reported, false) as is_mutation_status_reported,
        analysis_patients.has_prior_pd1,
        analysis_patients.has_prior_pdl1,
        analysis_patients.has_prior_ctla4,
        analysis_patients.has_prior_braf_mek,
        analysis_patients.has_prior_vegf_tki,
        prior_icb.prior_icb_agents,
        prior_icb.prior_icb_regimens,
        prior_icb.prior_icb_best_response,
        patients.metastatic_diagnosis_date,
        patients.metastatic_diagnosis_date_imputation,
        {{ months_between('patients.metastatic_diagnosis_date', 'analysis_patients.day1_date') }} as months_metastatic_dx_to_day1,
        prior_icb.months_on_pd1,
        prior_icb.months_pd1_end_to_day1,
        il2_exposure.cycles_received,
        il2_exposure.mean_doses_per_cycle,
        il2_exposure.last_dose_date,
        il2_exposure.months_il2_treatment,
        overall_survival.end_date as follow_up_end_date,
        overall_survival.time_months as months_follow_up
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

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
