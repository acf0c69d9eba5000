{#- Grain: site x measure x file x item (site_id, measure, file, item). The open-ended part of
    the site scorecard, long so that a new file, reason or check needs no new column:
    - measure `rows_read`: rows of the file attributed to the site (item null);
    - measure `rows_rejected`: rejected rows (distinct row numbers) per reason (item = reason);
    - measure `findings`: audit.findings per check (item = check_name).
    A row's site: the site of its patient in core.dim_patient; for patients.csv rows whose
    patient is not in core and for sites.csv, the row's own site_id (as audit.rejected_rows);
    site_id null = not attributable to a site. -#}
with patients as (
    select * from {{ ref('dim_patient') }}
),

rejected_rows as (
    select * from {{ ref('rejected_rows') }}
),

findings as (
    select * from {{ ref('findings') }}
),

rows_read as (
    {% for file_name, model in registry_checked_files() -%}
    select
        '{{ file_name }}' as file,
        {% if file_name == 'sites.csv' -%}
        checked.site_id
        {%- elif file_name == 'patients.csv' -%}
        coalesce(patients.site_id, checked.site_id)
        {%- else -%}
        patients.site_id
        {%- endif %} as site_id,
        count(*) as n
    from {{ ref(model) }} as checked
    {% if file_name != 'sites.csv' -%}
    left join patients
        on checked.patient_id = patients.patient_id
    {% endif -%}
    group by 1, 2
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected as (
    select
        site_id,
        file,
        reason,
        count(distinct row_number) as n
    from rejected_rows
    group by site_id, file, reason
),

found as (
    select
        site_id,
        file,
        check_name,
        count(*) as n
    from findings
    group by site_id, file, check_name
),

unioned as (
    select site_id, 'rows_read' as measure, file, cast(null as {{ dbt.type_string() }}) as item, n from rows_read
    union all
    select site_id, 'rows_rejected' as measure, file, reason as item, n from rejected
    union all
    select site_id, 'findings' as measure, file, check_name as item, n from found
),

final as (
    select
        cast(site_id as {{ dbt.type_string() }}) as site_id,
        cast(measure as {{ dbt.type_string() }}) as measure,
        cast(file as {{ dbt.type_string() }}) as file,
        cast(item as {{ dbt.type_string() }}) as item,
        cast(n as {{ dbt.type_bigint() }}) as n
    from unioned
)

select * from final

-- jinja inside the select list: sqlfluff cannot place its indentation here
-- sqlfluff:exclude_rules:LT09,RF04,ST06,AM04,LT14,ST09,AM03,AM06,RF02,AL09,LT02,AL05
