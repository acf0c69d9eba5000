{#- Check endpoint_affected_by_rejected_row (logical: rejected rows against the analysis): an
    analysed patient with a rejected row in a file that feeds an endpoint (death, progression,
    assessment, subsequent therapy; the contract's feeds_endpoints): the endpoint is computed
    without that row. Exact duplicates are left out (the identical row is used), orphans are
    not analysed patients. -#}
{%- set endpoint_files = registry_endpoint_files() -%}

with

rejected_rows as (

    select * from {{ ref('rejected_rows') }}

),

analysis_population as (

    select * from {{ ref('int_analysis_population') }}

),

follow_up_checked as (

    select * from {{ ref('int_follow_up_checked') }}

),

findings as (

    select
        rejected_rows.file,
        rejected_rows.row_number,
        rejected_rows.patient_id,
        'endpoint_affected_by_rejected_row' as check_name,
        (
            'row rejected (' || rejected_rows.column_name || ' ' || rejected_rows.reason || ')'
            || case when follow_up_checked.vital_status = 'DEAD' then ' on a DEAD contact' else '' end
            || ': the patient is analysed and '
            || case rejected_rows.file
                {%- for file_name, endpoints in endpoint_files %} when '{{ file_name }}' then '{{ endpoints }}'{% endfor %}
            end
            || ' are computed without this row'
        ) as detail,
        rejected_rows.column_name,
        rejected_rows.value
    from rejected_rows
    inner join analysis_population
        on rejected_rows.patient_id = analysis_population.patient_id
    left join follow_up_checked
        on rejected_rows.file = 'follow_up.csv'
            and rejected_rows.row_number = follow_up_checked.source_row_number
    where rejected_rows.reason <> 'exact_duplicate'
        and rejected_rows.file in ({{ "'" ~ (endpoint_files | map('first') | join("', '")) ~ "'" }})

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final

-- jinja inside the select list: sqlfluff cannot place its indentation here
-- sqlfluff:exclude_rules:LT09,RF04,ST06,AM04,LT14,ST09,AM03,AM06,RF02,AL09,LT02
