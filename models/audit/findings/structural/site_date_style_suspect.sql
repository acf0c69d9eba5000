-- Check site_date_style_suspect (structural: the extract's date style): a site whose slash
-- dates read day-first; its ambiguous ones were read as US (month first). One finding per
-- site, on its first day-first date (int_site_date_styles).

with

site_date_styles as (

    select * from {{ ref('int_site_date_styles') }}

),

findings as (

    select
        example_file as file,
        example_row_number as row_number,
        example_patient_id as patient_id,
        'site_date_style_suspect' as check_name,
        (
            'site ' || site_id || ' looks day-first (DD/MM/YYYY): ' || cast(n_day_first as {{ dbt.type_string() }})
            || ' slash date(s) have a first part above 12 (rejected or nulled, e.g. this one) and '
            || cast(n_month_first as {{ dbt.type_string() }}) || ' a second part above 12; its '
            || cast(n_ambiguous as {{ dbt.type_string() }})
            || ' ambiguous slash date(s) (both parts 12 or less) were read as MM/DD/YYYY and may be wrong'
        ) as detail,
        example_column_name as column_name,
        example_value as value
    from site_date_styles
    where looks_day_first

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
