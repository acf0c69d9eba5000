with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
),

prior_lines as (
    select
        'prior_therapies:' || cast(source_row_number as {{ dbt.type_string() }}) as therapy_line_id,
        patient_id,
        'prior' as setting,
        line_number,
        regimen_text,
        start_date,
        start_date_imputation,
        end_date,
        end_date_imputation,
        best_response,
        reason_stopped,
        case irae_reported when 'Y' then true when 'N' then false end as irae_reported,
        'prior_therapies.csv' as source_file,
        source_row_number
    from {{ ref('int_prior_therapies_checked') }}
    where row_status = 'used'
),

subsequent_lines as (
    select
        'subsequent_therapies:' || cast(source_row_number as {{ dbt.type_string() }}) as therapy_line_id,
        patient_id,
        'subsequent' as setting,
        cast(null as {{ dbt.type_bigint() }}) as line_number,
        regimen_text,
        start_date,
        start_date_imputation,
        cast(null as date) as end_date,
        cast(null as {{ dbt.type_string() }}) as end_date_imputation,
        cast(null as {{ dbt.type_string() }}) as best_response,
        cast(null as {{ dbt.type_string() }}) as reason_stopped,
        cast(null as boolean) as irae_reported,
        'subsequent_therapies.csv' as source_file,
        source_row_number
    from {{ ref('int_subsequent_therapies_checked') }}
    where row_status = 'used'
),

lines as (
    select * from prior_lines
    union all
    select * from subsequent_lines
),

final as (
    select
        lines.therapy_line_id,
        lines.patient_id,
        lines.setting,
        lines.line_number,
        lines.regimen_text,
        {{ normalise_verbatim('lines.regimen_text') }} as regimen_text_normalised,
        lines.start_date,
        lines.start_date_imputation,
        lines.end_date,
        lines.end_date_imputation,
        lines.best_response,
        lines.reason_stopped,
        lines.irae_reported,
        lines.start_date > current_extract.data_cutoff_date as is_after_data_cutoff,
        lines.source_file,
        lines.source_row_number
    from lines
    cross join current_extract
)

select * from final
