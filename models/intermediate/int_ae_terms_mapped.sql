{#- AE and stopping-toxicity verbatim -> preferred term (terminology seeds). Grain: normalised
    verbatim.
    1. the whole normalised text is a synonym (ae_term_synonyms): its preferred term;
    2. otherwise the preferred terms whose word-bounded pattern (ae_term_patterns) occurs in
       the text ("hypotension grade 3", "hypotension (requiring pressors)"); a generic term
       is dropped when a more specific matched term contains it as whole words
       ("line infection" hits infection and catheter-related infection: the latter);
    3. exactly one preferred term left: that term. Two or more different terms
       ("nausea and vomiting") or none: preferred_term 'UNMAPPED', never guessed, reported
       in audit.findings (unmapped_ae_term / unmapped_toxicity_term) with the candidates. -#}
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

synonyms as (
    select synonym, preferred_term from {{ ref('ae_term_synonyms') }}
),

patterns as (
    select preferred_term, pattern from {{ ref('ae_term_patterns') }}
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

by_synonym as (
    select texts.verbatim_normalised, synonyms.preferred_term
    from texts
    inner join synonyms on texts.verbatim_normalised = synonyms.synonym
),

pattern_hits as (
    select distinct texts.verbatim_normalised, patterns.preferred_term
    from texts
    cross join patterns
    where
        {{ contains_pattern('texts.verbatim_normalised', 'patterns.pattern') }}
        and texts.verbatim_normalised not in (select verbatim_normalised from by_synonym)
),

specific_pattern_hits as (
    select hits.verbatim_normalised, hits.preferred_term
    from pattern_hits as hits
    where not exists (
            select 1
            from pattern_hits as specific
            where
                specific.verbatim_normalised = hits.verbatim_normalised
                and specific.preferred_term <> hits.preferred_term
                and ' ' || specific.preferred_term || ' ' like '% ' || hits.preferred_term || ' %'
        )
),

by_pattern as (
    select
        verbatim_normalised,
        count(*) as candidate_count,
        min(preferred_term) as preferred_term,
        {{ il2_registry.ordered_listagg('preferred_term', "' | '", ['preferred_term']) }} as candidate_terms
    from specific_pattern_hits
    group by verbatim_normalised
),

final as (
    select
        texts.verbatim_normalised,
        case
            when by_synonym.preferred_term is not null then by_synonym.preferred_term
            when by_pattern.candidate_count = 1 then by_pattern.preferred_term
            else 'UNMAPPED'
        end as preferred_term,
        case
            when by_synonym.preferred_term is not null then 'synonym'
            when by_pattern.candidate_count = 1 then 'pattern'
            when by_pattern.candidate_count > 1 then 'ambiguous'
            else 'none'
        end as match_method,
        case when by_pattern.candidate_count > 1 then by_pattern.candidate_terms end as candidate_terms
    from texts
    left join by_synonym on texts.verbatim_normalised = by_synonym.verbatim_normalised
    left join by_pattern on texts.verbatim_normalised = by_pattern.verbatim_normalised
)

select * from final
