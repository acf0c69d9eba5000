{#- A value without leading and trailing white space: spaces, tabs, line breaks, vertical tab,
    form feed and no-break space (plain trim() removes spaces only on DuckDB, so a TAB-only
    required value would count as present). Used by na_to_null, so the whole staging sees the
    same cleaned text. -#}
{% macro whitespace_code_points() -%}
    {{ return([32, 9, 10, 11, 12, 13, 160]) }}
{%- endmacro %}

{% macro whitespace_characters() -%}
    {%- for code_point in il2_registry.whitespace_code_points() -%}
        chr({{ code_point }}){% if not loop.last %} || {% endif %}
    {%- endfor -%}
{%- endmacro %}

{% macro trim_whitespace(expression) -%}
    {{ return(adapter.dispatch('trim_whitespace', 'il2_registry')(expression)) }}
{%- endmacro %}

{% macro default__trim_whitespace(expression) -%}
    trim({{ expression }})
{%- endmacro %}

{#- DuckDB's trim with a character set costs about three times a look at the first and last
    characters, and nearly every value needs no trimming: trimmed only when one of them is white
    space (the same result for every text, null and '' included; docs/performance.md). The first
    character is read as a code point (ascii), the last by a suffix test per white-space
    character: a third of the CPU of left() and right() looked up in the set (sixth round). -#}
{% macro duckdb__trim_whitespace(expression) -%}
    case
        when not (
            {%- for code_point in il2_registry.whitespace_code_points() %}
            ascii({{ expression }}) = {{ code_point }} or ends_with({{ expression }}, chr({{ code_point }})){% if not loop.last %} or{% endif %}
            {%- endfor %}
        )
            then {{ expression }}
        else trim({{ expression }}, {{ il2_registry.whitespace_characters() }})
    end
{%- endmacro %}

{% macro spark__trim_whitespace(expression) -%}
    trim(both {{ il2_registry.whitespace_characters() }} from {{ expression }})
{%- endmacro %}
