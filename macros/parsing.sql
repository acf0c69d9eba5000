{#- Text-to-value parsing of extract fields. Staging uses only these macros and dbt's
    cross-database macros; what differs between engines is behind adapter.dispatch
    (default__ = ANSI-ish fallback, duckdb__ = the engine we run on). -#}

{#- The extract's "missing" tokens: empty, NA, N/A, UNK and "." (any case, any padding;
    padding is any white space, macros/trim_whitespace.sql, so a TAB-only value is missing). -#}
{% macro na_to_null(column) -%}
    case
        when upper({{ il2_registry.trim_whitespace(column) }}) in ('', 'NA', 'N/A', 'UNK', '.') then null
        else {{ il2_registry.trim_whitespace(column) }}
    end
{%- endmacro %}

{#- True when the whole text matches the regular expression. -#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'il2_registry')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    regexp_like({{ expression }}, '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{#- A full date, ISO YYYY-MM-DD or US MM/DD/YYYY; null when it is neither (or impossible,
    like 2017-02-30). -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'il2_registry')(expression)) }}
{%- endmacro %}

{% macro default__parse_date(expression) -%}
    case
        when {{ il2_registry.matches_pattern(expression, '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then {{ dbt.safe_cast(expression, api.Column.translate_type('date')) }}
    end
{%- endmacro %}

{% macro duckdb__parse_date(expression) -%}
    {#- A cast is several times faster than strptime; the regex keeps it to the two styles. -#}
    case
        when regexp_full_match({{ expression }}, '\d{4}-\d{1,2}-\d{1,2}')
            then try_cast({{ expression }} as date)
        when regexp_full_match({{ expression }}, '\d{1,2}/\d{1,2}/\d{4}')
            then cast(try_strptime({{ expression }}, '%m/%d/%Y') as date)
    end
{%- endmacro %}

{#- A timestamp: YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DDTHH:MM[:SS] (US date part accepted). -#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'il2_registry')(expression)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {{ dbt.safe_cast("replace(" ~ expression ~ ", 'T', ' ')", api.Column.translate_type('timestamp')) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    case
        when regexp_full_match({{ expression }}, '\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?')
            then try_cast(replace({{ expression }}, 'T', ' ') as timestamp)
        when regexp_full_match({{ expression }}, '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?')
            then try_strptime({{ expression }}, ['%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S'])
    end
{%- endmacro %}

{#- A whole number (digits only, optional sign); null otherwise ("1.5", "2x"). -#}
{% macro parse_integer(expression) -%}
    case
        when {{ il2_registry.matches_pattern(expression, '[+-]?[0-9]{1,15}') }}
            then {{ dbt.safe_cast(expression, dbt.type_bigint()) }}
    end
{%- endmacro %}

{#- A decimal number written with a dot ("82.5", "70", "1e3" is not accepted). -#}
{% macro parse_decimal(expression) -%}
    case
        when {{ il2_registry.matches_pattern(expression, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)') }}
            then {{ dbt.safe_cast(expression, dbt.type_float()) }}
    end
{%- endmacro %}
