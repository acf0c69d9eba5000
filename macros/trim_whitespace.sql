{#- A value without leading and trailing white space: spaces, tabs, line breaks, vertical tab,
    form feed and no-break space (plain trim() removes spaces only on DuckDB, so a TAB-only
    required value would count as present). Used by na_to_null, so the whole staging sees the
    same cleaned text. -#}
{% macro whitespace_characters() -%}
    ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)
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
            ascii({{ expression }}) between 9 and 13 or ascii({{ expression }}) = 32 or ascii({{ expression }}) = 160
            {%- for character in ["' '", 'chr(9)', 'chr(10)', 'chr(11)', 'chr(12)', 'chr(13)', 'chr(160)'] %}
            or ends_with({{ expression }}, {{ character }})
            {%- endfor %}
        )
            then {{ expression }}
        else trim({{ expression }}, {{ il2_registry.whitespace_characters() }})
    end
{%- endmacro %}

{% macro spark__trim_whitespace(expression) -%}
    trim(both {{ il2_registry.whitespace_characters() }} from {{ expression }})
{%- endmacro %}
