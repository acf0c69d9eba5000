with terms as (
    select preferred_term, category, is_immune_related from {{ ref('ae_terms') }}
),

final as (
    select preferred_term, category, is_immune_related from terms
    union all
    select 'UNMAPPED' as preferred_term, 'UNMAPPED' as category, cast(null as boolean) as is_immune_related
)

select * from final
