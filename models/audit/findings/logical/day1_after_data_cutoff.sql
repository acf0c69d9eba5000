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

final as (

    select
        cast('patients.csv' as {{ dbt.type_string() }}) as file,
        cast(source_row_number as {{ dbt.type_bigint() }}) as row_number,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast('day1_after_data_cutoff' as {{ dbt.type_string() }}) as check_name,
        cast(
            'day 1 ' || coalesce(cast(day1_date as {{ dbt.type_string() }}), '(none)')
            || ' (' || coalesce(day1_source, 'no source') || ') is after the data cut-off '
            || cast(data_cutoff_date as {{ dbt.type_string() }})
            || ': patient left out of the analysis (kept in core)'
            as {{ dbt.type_string() }}
        ) as detail,
        cast('il2_start_date' as {{ dbt.type_string() }}) as column_name,
        cast(day1_date as {{ dbt.type_string() }}) as value
    from patients_outside_analysis

)

select * from final
