-- Grain: one row per patient and assessment date after day 1 (patient_id, assessment_date).
-- The tumour assessments that count for response, as visits:
-- - an assessment on or before day 1 is baseline and carries no response; one after the data
--   cut-off is ignored;
-- - several rows on the same date are one visit whose response is the worst evaluable one
--   (PD, then SD, PR, CR; NE only when nothing else was evaluable that day);
-- - is_in_bor_window: the visits the best overall response is taken over (DATA_DICTIONARY):
--   up to and including the first PD, and before the start of any subsequent anti-cancer
--   therapy - strictly before: a visit on the day a subsequent therapy starts is out (a PD
--   that day still ends PFS, as a progression, see int_progression_free_survival).
-- response_rank orders best to worst for BOR: CR 1, PR 2, SD 3, PD 4, NE 5.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

tumor_assessments as (

    select * from {{ ref('fct_tumor_assessments') }}

),

subsequent_therapy as (

    select * from {{ ref('int_subsequent_therapy_starts') }}

),

assessments_after_day1 as (

    select
        tumor_assessments.patient_id,
        tumor_assessments.assessment_date,
        tumor_assessments.overall_response,
        case tumor_assessments.overall_response
            when 'PD' then 1
            when 'SD' then 2
            when 'PR' then 3
            when 'CR' then 4
            else 5
        end as same_day_precedence
    from tumor_assessments
    inner join population
        on tumor_assessments.patient_id = population.patient_id
    where tumor_assessments.assessment_date > population.day1_date
        and tumor_assessments.assessment_date <= population.data_cutoff_date
        and tumor_assessments.overall_response in ('CR', 'PR', 'SD', 'PD', 'NE')

),

visits as (

    select
        patient_id,
        assessment_date,
        case min(same_day_precedence)
            when 1 then 'PD'
            when 2 then 'SD'
            when 3 then 'PR'
            when 4 then 'CR'
            else 'NE'
        end as overall_response,
        count(*) as n_assessment_rows
    from assessments_after_day1
    group by patient_id, assessment_date

),

visits_with_first_pd as (

    select
        visits.*,
        min(case when visits.overall_response = 'PD' then visits.assessment_date end)
            over (partition by visits.patient_id) as first_pd_date,
        row_number() over (partition by visits.patient_id order by visits.assessment_date) as visit_seq
    from visits

),

final as (

    select
        visits.patient_id,
        visits.assessment_date,
        visits.overall_response,
        case visits.overall_response
            when 'CR' then 1
            when 'PR' then 2
            when 'SD' then 3
            when 'PD' then 4
            else 5
        end as response_rank,
        visits.visit_seq,
        visits.n_assessment_rows,
        {{ dbt.datediff('population.day1_date', 'visits.assessment_date', 'day') }} as days_from_day1,
        (
            (visits.first_pd_date is null or visits.assessment_date <= visits.first_pd_date)
            and (
                subsequent_therapy.first_start_date is null
                or visits.assessment_date < subsequent_therapy.first_start_date
            )
        ) as is_in_bor_window
    from visits_with_first_pd as visits
    inner join population
        on visits.patient_id = population.patient_id
    left join subsequent_therapy
        on visits.patient_id = subsequent_therapy.patient_id

)

select * from final
