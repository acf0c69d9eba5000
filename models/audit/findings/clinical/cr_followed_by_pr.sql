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

final as (

    select
        cast('tumor_assessments.csv' as {{ dbt.type_string() }}) as file,
        cast(source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('cr_followed_by_pr' as {{ dbt.type_string() }}) as check_name,
        cast(
            'PR on ' || cast(assessment_date as {{ dbt.type_string() }}) || ' after a CR on '
            || cast(last_cr_before as {{ dbt.type_string() }})
            as {{ dbt.type_string() }}
        ) as detail,
        cast('overall_response' as {{ dbt.type_string() }}) as column_name,
        cast(overall_response as {{ dbt.type_string() }}) as value
    from assessments_after_day1
    where overall_response = 'PR'
        and last_cr_before is not null

)

select * from final
