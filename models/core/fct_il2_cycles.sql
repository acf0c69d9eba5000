with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
),

cycles as (
    select * from {{ ref('int_il2_cycles_checked') }} where row_status = 'used'
),

doses as (
    select patient_id, course_number, cycle_in_course, count(*) as doses_given
    from {{ ref('int_il2_doses_checked') }}
    where row_status = 'used'
    group by patient_id, course_number, cycle_in_course
),

final as (
    select
        cycles.patient_id,
        cycles.course_number,
        cycles.cycle_in_course,
        row_number() over (
            partition by cycles.patient_id
            order by cycles.admission_date, cycles.course_number, cycles.cycle_in_course
        ) as cycle_seq,
        cycles.admission_date,
        cycles.discharge_date,
        cycles.dose_level_iu_per_kg,
        cycles.doses_planned,
        coalesce(doses.doses_given, 0) as doses_given,
        cycles.stop_reason,
        cycles.admission_date > current_extract.data_cutoff_date as is_after_data_cutoff,
        cycles.source_row_number
    from cycles
    cross join current_extract
    left join doses
        on
            cycles.patient_id = doses.patient_id
            and cycles.course_number = doses.course_number
            and cycles.cycle_in_course = doses.cycle_in_course
)

select * from final
