{#- Grain: site (site_id) with at least one slash-written date. How its slash dates read:
    day_first (first part above 12, second 12 or less: only DD/MM/YYYY makes sense, so staging
    rejected or nulled them), month_first (second part above 12: only MM/DD/YYYY), ambiguous
    (both 12 or less: read as MM/DD/YYYY), and the first day-first date (by file, row, column)
    as an example. looks_day_first: some day-first dates and at least as many of them as
    month-first ones (one typo at a US site is not a style). The extract check
    (il2_registry.extract_check.date_style_verdict) applies the same rule before the build. -#}
with slash_dates as (
    select * from {{ ref('stg_registry__slash_dates') }}
),

patients as (
    select * from {{ ref('stg_registry__patients') }}
),

patient_sites as (
    select patient_id, min(site_id) as site_id
    from patients
    where patient_id is not null and site_id is not null
    group by patient_id
),

styled as (
    select
        patient_sites.site_id,
        slash_dates.*,
        case
            when slash_dates.first_part > 12 and slash_dates.second_part <= 12 then 'day_first'
            when slash_dates.second_part > 12 and slash_dates.first_part <= 12 then 'month_first'
            when slash_dates.first_part <= 12 then 'ambiguous'
            else 'neither'
        end as style
    from slash_dates
    inner join patient_sites on slash_dates.patient_id = patient_sites.patient_id
),

counted as (
    select
        site_id,
        sum(case when style = 'day_first' then 1 else 0 end) as n_day_first,
        sum(case when style = 'month_first' then 1 else 0 end) as n_month_first,
        sum(case when style = 'ambiguous' then 1 else 0 end) as n_ambiguous
    from styled
    group by site_id
),

day_first_examples as (
    select
        site_id,
        file,
        row_number,
        patient_id,
        column_name,
        value,
        row_number() over (partition by site_id order by file, row_number, column_name) as example_rank
    from styled
    where style = 'day_first'
),

final as (
    select
        counted.site_id,
        counted.n_day_first,
        counted.n_month_first,
        counted.n_ambiguous,
        counted.n_day_first > 0 and counted.n_day_first >= counted.n_month_first as looks_day_first,
        day_first_examples.file as example_file,
        day_first_examples.row_number as example_row_number,
        day_first_examples.patient_id as example_patient_id,
        day_first_examples.column_name as example_column_name,
        day_first_examples.value as example_value
    from counted
    left join day_first_examples
        on counted.site_id = day_first_examples.site_id and day_first_examples.example_rank = 1
)

select * from final
