{#- Verbatim text as matched against the terminology seeds: trimmed, lower case, runs of
    white space as one space. -#}
{% macro normalise_verbatim(expression) -%}
    {{ return(adapter.dispatch('normalise_verbatim', 'il2_registry')(expression)) }}
{%- endmacro %}

{#- White space is RE2's \s (DuckDB): space, tab, newline, carriage return, form feed, not
    vertical tab. The default branch (Spark) spells that class out with chr(), no backslashes
    (Spark unescapes them in string literals), with regexp_replace replacing every match.
    Both branches are checked on their engine by tests/dbt/parsing_branches_agree.sql. -#}
{% macro default__normalise_verbatim(expression) -%}
    lower(trim(regexp_replace({{ expression }}, {{ dbt.concat(["'[ '", "chr(9)", "chr(10)", "chr(13)", "chr(12)", "']+'"]) }}, ' ')))
{%- endmacro %}

{% macro duckdb__normalise_verbatim(expression) -%}
    lower(trim(regexp_replace({{ expression }}, '\s+', ' ', 'g')))
{%- endmacro %}

{#- True when the regular expression matches anywhere in the text. -#}
{% macro contains_pattern(expression, pattern_expression) -%}
    {{ return(adapter.dispatch('contains_pattern', 'il2_registry')(expression, pattern_expression)) }}
{%- endmacro %}

{% macro default__contains_pattern(expression, pattern_expression) -%}
    regexp_like({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{% macro duckdb__contains_pattern(expression, pattern_expression) -%}
    regexp_matches({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{% macro spark__contains_pattern(expression, pattern_expression) -%}
    ({{ expression }} rlike {{ pattern_expression }})
{%- endmacro %}

{#- Finding detail for an unmapped AE / toxicity verbatim: ambiguous (the candidate preferred
    terms, from int_ae_terms_mapped joined as ae_terms_mapped) or no match at all. -#}
{% macro unmapped_term_detail(label, verbatim_expression) -%}
    case
        when ae_terms_mapped.match_method = 'ambiguous'
            then '{{ label }} is ambiguous, matches the patterns of ' || ae_terms_mapped.candidate_terms
            || ' (not guessed): ' || {{ verbatim_expression }}
        else '{{ label }} matches no synonym or pattern: ' || {{ verbatim_expression }}
    end
{%- endmacro %}
