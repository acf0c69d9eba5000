{#- Regimen verbatim -> agents (terminology seeds). Grain: normalised regimen text x agent.
    1. the whole normalised text is a synonym (regimen_synonyms): its agents;
    2. otherwise every agent whose pattern (regimen_patterns) occurs in the text;
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

by_synonym as (
    select texts.regimen_text_normalised, synonyms.agent_name, 'synonym' as match_method
    from texts
    inner join synonyms on texts.regimen_text_normalised = synonyms.synonym
),

by_pattern as (
    select texts.regimen_text_normalised, patterns.agent_name, 'pattern' as match_method
    from texts
    cross join patterns
    where
        {{ contains_pattern('texts.regimen_text_normalised', 'patterns.pattern') }}
        and texts.regimen_text_normalised not in (select regimen_text_normalised from by_synonym)
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
