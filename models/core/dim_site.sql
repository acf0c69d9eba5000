with sites as (
    select * from {{ ref('int_sites_checked') }} where row_status = 'used'
),

final as (
    select
        site_id,
        site_name,
        site_type,
        state
    from sites
)

select * from final
