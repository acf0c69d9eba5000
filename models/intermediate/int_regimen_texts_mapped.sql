{#- Regimen verbatim -> agents (terminology seeds). Grain: normalised regimen text x agent.
    1. the whole normalised text is a synonym (regimen_synonyms): its agents;
    2. otherwise every agent whose pattern (regimen_patterns) occurs in the text; a class-only
       placeholder (pd1_agent_not_recorded, pdl1_agent_not_recorded) only when no named
       agent of that class matched ("anti-PD-1 nivolumab" is nivolumab);
    3. otherwise one row with agent_name 'unmapped' (class UNMAPPED), reported in
       audit.findings (unmapped_regimen); never dropped, never guessed. -#}
with prior_texts as (
    select regimen_text from {{ ref('int_prior_therapies_checked') }} where row_status = 'used'
),

subsequent_texts as (
    select regimen_text from {{ ref('int_subsequent_therapies_checked') }} where row_status = 'used'
),

texts as (
    select distinct {{ normalise_verbatim('regimen_text') }} as regimen_text_normalised
    from (
        select regimen_text from prior_texts
        union all
        select regimen_text from subsequent_texts
    ) as all_texts
),

synonyms as (
    select synonym, agent_name from {{ ref('regimen_synonyms') }}
),

patterns as (
    select agent_name, pattern from {{ ref('regimen_patterns') }}
),

agents as (
    select agent_name, drug_class from {{ ref('agents') }}
),

by_synonym as (
    select texts.regimen_text_normalised, synonyms.agent_name, 'synonym' as match_method
    from texts
    inner join synonyms on texts.regimen_text_normalised = synonyms.synonym
),

pattern_hits as (
    select texts.regimen_text_normalised, patterns.agent_name, agents.drug_class
    from texts
    cross join patterns
    inner join agents on patterns.agent_name = agents.agent_name
    where
        {{ contains_pattern('texts.regimen_text_normalised', 'patterns.pattern') }}
        and texts.regimen_text_normalised not in (select regimen_text_normalised from by_synonym)
),

by_pattern as (
    select hits.regimen_text_normalised, hits.agent_name, 'pattern' as match_method
    from pattern_hits as hits
    where not (
            hits.agent_name like '%_agent_not_recorded'
            and exists (
                select 1
                from pattern_hits as named
                where
                    named.regimen_text_normalised = hits.regimen_text_normalised
                    and named.drug_class = hits.drug_class
                    and named.agent_name not like '%_agent_not_recorded'
            )
        )
),

matched as (
    select * from by_synonym
    union all
    select * from by_pattern
),

unmatched as (
    select regimen_text_normalised, 'unmapped' as agent_name, 'none' as match_method
    from texts
    where regimen_text_normalised not in (select regimen_text_normalised from matched)
),

final as (
    select * from matched
    union all
    select * from unmatched
)

select * from final
