with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
),

assessments as (
    select * from {{ ref('int_tumor_assessments_checked') }} where row_status = 'used'
),

final as (
    select
        'tumor_assessments:' || cast(assessments.source_row_number as {{ dbt.type_string() }}) as assessment_id,
        assessments.patient_id,
        assessments.assessment_date,
        assessments.overall_response,
        assessments.method,
        case assessments.new_lesions when 'Y' then true when 'N' then false end as has_new_lesions,
        assessments.assessment_date > current_extract.data_cutoff_date as is_after_data_cutoff,
        assessments.source_row_number
    from assessments
    cross join current_extract
)

select * from final
