with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
),

events as (
    select * from {{ ref('int_adverse_events_checked') }} where row_status = 'used'
),

mapped as (
    select * from {{ ref('int_ae_terms_mapped') }}
),

terms as (
    select * from {{ ref('dim_ae_term') }}
),

final as (
    select
        events.patient_id,
        events.ae_seq,
        events.ae_term as ae_term_verbatim,
        mapped.preferred_term,
        terms.category,
        terms.is_immune_related as is_immune_related_term,
        events.onset_date,
        events.resolution_date,
        events.ctcae_grade,
        case events.serious when 'Y' then true when 'N' then false end as is_serious,
        events.related_to_il2,
        case events.immune_related when 'Y' then true when 'N' then false end as is_immune_related,
        case events.treated_with_steroids when 'Y' then true when 'N' then false end as is_treated_with_steroids,
        coalesce(events.onset_date > current_extract.data_cutoff_date, false) as is_after_data_cutoff,
        events.source_row_number
    from events
    cross join current_extract
    inner join mapped on {{ normalise_verbatim('events.ae_term') }} = mapped.verbatim_normalised
    inner join terms on mapped.preferred_term = terms.preferred_term
)

select * from final
