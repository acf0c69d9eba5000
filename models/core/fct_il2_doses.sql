with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
),

doses as (
    select * from {{ ref('int_il2_doses_checked') }} where row_status = 'used'
),

cycles as (
    select patient_id, course_number, cycle_in_course
    from {{ ref('int_il2_cycles_checked') }}
    where row_status = 'used'
),

final as (
    select
        doses.patient_id,
        doses.course_number,
        doses.cycle_in_course,
        doses.dose_number,
        doses.admin_datetime,
        cast(doses.admin_datetime as date) as admin_date,
        doses.dose_iu_per_kg,
        cycles.patient_id is not null as has_cycle_record,
        cast(doses.admin_datetime as date) > current_extract.data_cutoff_date as is_after_data_cutoff,
        doses.source_row_number
    from doses
    cross join current_extract
    left join cycles
        on
            doses.patient_id = cycles.patient_id
            and doses.course_number = cycles.course_number
            and doses.cycle_in_course = cycles.cycle_in_course
)

select * from final
