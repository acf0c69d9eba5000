-- Check cr_followed_by_pr (clinical plausibility): a PR after day 1 recorded after a CR of
-- the same patient (a complete response cannot become partial without progression).

with

assessments as (

    select * from {{ ref('fct_tumor_assessments') }}

),

patients as (

    select * from {{ ref('dim_patient') }}

),

assessments_after_day1 as (

    select
        assessments.*,
        max(case when assessments.overall_response = 'CR' then assessments.assessment_date end) over (
            partition by assessments.patient_id
            order by assessments.assessment_date, assessments.source_row_number
            rows between unbounded preceding and 1 preceding
        ) as last_cr_before
    from assessments
    inner join patients
        on assessments.patient_id = patients.patient_id
    where assessments.assessment_date > patients.day1_date

),

findings as (

    select
        'tumor_assessments.csv' as file,
        source_row_number as row_number,
        patient_id,
        'cr_followed_by_pr' as check_name,
        (
            'PR on ' || cast(assessment_date as {{ dbt.type_string() }}) || ' after a CR on '
            || cast(last_cr_before as {{ dbt.type_string() }})
        ) as detail,
        'overall_response' as column_name,
        overall_response as value
    from assessments_after_day1
    where overall_response = 'PR'
        and last_cr_before is not null

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
