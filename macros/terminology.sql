{#- Verbatim text as matched against the terminology seeds: trimmed, lower case, runs of
    white space as one space. -#}
{% macro normalise_verbatim(expression) -%}
    {{ return(adapter.dispatch('normalise_verbatim', 'il2_registry')(expression)) }}
{%- endmacro %}

{% macro default__normalise_verbatim(expression) -%}
    lower(trim({{ expression }}))
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
