-- Check day1_after_data_cutoff (logical: a patient against the extract's cut-off): every
-- patient of core the marts leave out, whatever the population rule's reason: an anti-join,
-- so a patient cannot disappear from the analysis without a finding.

with

patients as (

    select * from {{ ref('dim_patient') }}

),

current_extract as (

    select * from {{ ref('dim_extract') }}

),

analysis_population as (

    select * from {{ ref('int_analysis_population') }}

),

patients_outside_analysis as (

    select
        patients.*,
        current_extract.data_cutoff_date
    from patients
    cross join current_extract
    where patients.patient_id not in (select patient_id from analysis_population)

),

findings as (

    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'day1_after_data_cutoff' as check_name,
        (
            'day 1 ' || coalesce(cast(day1_date as {{ dbt.type_string() }}), '(none)')
            || ' (' || coalesce(day1_source, 'no source') || ') is after the data cut-off '
            || cast(data_cutoff_date as {{ dbt.type_string() }})
            || ': patient left out of the analysis (kept in core)'
        ) as detail,
        'il2_start_date' as column_name,
        day1_date as value
    from patients_outside_analysis

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
