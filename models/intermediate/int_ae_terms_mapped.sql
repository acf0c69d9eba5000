{#- AE and stopping-toxicity verbatim -> preferred term (terminology seed ae_term_synonyms,
    whole normalised text). Grain: normalised verbatim. No match: preferred_term 'UNMAPPED',
    reported in audit.findings (unmapped_ae_term / unmapped_toxicity_term). -#}
with adverse_event_terms as (
    select ae_term as verbatim from {{ ref('int_adverse_events_checked') }} where row_status = 'used'
),

cycles as (
    select stop_toxicity_1, stop_toxicity_2, stop_toxicity_3
    from {{ ref('int_il2_cycles_checked') }}
    where row_status = 'used'
),

toxicity_terms as (
    select stop_toxicity_1 as verbatim from cycles
    union all
    select stop_toxicity_2 from cycles
    union all
    select stop_toxicity_3 from cycles
),

texts as (
    select distinct {{ normalise_verbatim('verbatim') }} as verbatim_normalised
    from (
        select verbatim from adverse_event_terms
        union all
        select verbatim from toxicity_terms
    ) as all_terms
    where verbatim is not null
),

synonyms as (
    select synonym, preferred_term from {{ ref('ae_term_synonyms') }}
),

final as (
    select
        texts.verbatim_normalised,
        coalesce(synonyms.preferred_term, 'UNMAPPED') as preferred_term
    from texts
    left join synonyms on texts.verbatim_normalised = synonyms.synonym
)

select * from final
