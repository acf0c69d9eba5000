{#- Text-to-value parsing of extract fields. Staging uses only these macros and dbt's
    cross-database macros; what differs between engines is behind adapter.dispatch
    (default__ = ANSI-ish fallback, duckdb__ = the engine we run on). -#}

{#- The extract's "missing" tokens: empty, NA, N/A, UNK and "." (any case, any padding;
    padding is any white space, macros/trim_whitespace.sql, so a TAB-only value is missing). -#}
{#- A simple case, not `in (...)`: DuckDB plans an IN list over a computed value as a hash
    join per column, about a third of a file's staging time (docs/performance.md). -#}
{% macro na_to_null(column) -%}
    case upper({{ il2_registry.trim_whitespace(column) }})
        when '' then null
        when 'NA' then null
        when 'N/A' then null
        when 'UNK' then null
        when '.' then null
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

{#- A full date, ISO YYYY-MM-DD or US MM/DD/YYYY (year 1000-9999, month and day one or two
    digits); null when it is neither (or impossible, like 2017-02-30). Both branches are checked
    against the same cases by tests/dbt/parsing_branches_agree.sql. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'il2_registry')(expression)) }}
{%- endmacro %}

{#- Portable: the parts are taken apart by pattern and put together as a zero-padded ISO
    text, which every engine casts (an impossible date such as 2017-02-30 casts to null).
    Accepts exactly what the DuckDB branch accepts: YYYY-M-D and M/D/YYYY, one or two digits
    for month and day. Spark uses this branch. -#}
{% macro default__parse_date(expression) -%}
    case
        when {{ il2_registry.matches_pattern(expression, '[1-9][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}') }}
            then {{ il2_registry.try_cast(il2_registry.iso_date_text(
                dbt.split_part(expression, "'-'", 1), dbt.split_part(expression, "'-'", 2), dbt.split_part(expression, "'-'", 3)
            ), api.Column.translate_type('date')) }}
        when {{ il2_registry.matches_pattern(expression, '[0-9]{1,2}/[0-9]{1,2}/[1-9][0-9]{3}') }}
            then {{ il2_registry.try_cast(il2_registry.iso_date_text(
                dbt.split_part(expression, "'/'", 3), dbt.split_part(expression, "'/'", 1), dbt.split_part(expression, "'/'", 2)
            ), api.Column.translate_type('date')) }}
    end
{%- endmacro %}

{#- A cast that gives null where the text is not a value of the type (2017-02-30 as a date).
    dbt.safe_cast is a plain cast on DuckDB and Spark; both have try_cast. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'il2_registry')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- YYYY-MM-DD from the three parts (text expressions), month and day zero-padded. -#}
{% macro iso_date_text(year, month, day) -%}
    {{ dbt.concat([year, "'-'", "lpad(" ~ month ~ ", 2, '0')", "'-'", "lpad(" ~ day ~ ", 2, '0')"]) }}
{%- endmacro %}

{% macro duckdb__parse_date(expression) -%}
    {#- A cast is several times faster than strptime; the regex keeps it to the two styles. -#}
    case
        when regexp_full_match({{ expression }}, '[1-9]\d{3}-\d{1,2}-\d{1,2}')
            then try_cast({{ expression }} as date)
        when regexp_full_match({{ expression }}, '\d{1,2}/\d{1,2}/[1-9]\d{3}')
            then cast(try_strptime({{ expression }}, '%m/%d/%Y') as date)
    end
{%- endmacro %}

{#- A timestamp: YYYY-MM-DD HH:MM[:SS] or YYYY-MM-DDTHH:MM[:SS] (US date part accepted), hour
    0-23 (24:00 is rejected: engines disagree on it). -#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'il2_registry')(expression)) }}
{%- endmacro %}

{#- Portable, as default__parse_date: the date part rebuilt as ISO, the time part as
    HH:MM:SS (seconds 00 when absent), then cast. Accepts what the DuckDB branch accepts. -#}
{% macro default__parse_timestamp(expression) -%}
    {%- set spaced = "replace(" ~ expression ~ ", 'T', ' ')" -%}
    {%- set date_part = dbt.split_part(spaced, "' '", 1) -%}
    {%- set time_part = dbt.split_part(spaced, "' '", 2) -%}
    {%- set hms = dbt.concat([
        "lpad(" ~ dbt.split_part(time_part, "':'", 1) ~ ", 2, '0')", "':'",
        dbt.split_part(time_part, "':'", 2), "':'",
        "coalesce(nullif(" ~ dbt.split_part(time_part, "':'", 3) ~ ", ''), '00')",
    ]) -%}
    case
        when {{ il2_registry.matches_pattern(expression, '[1-9][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}[ T]([01]?[0-9]|2[0-3]):[0-9]{2}(:[0-9]{2})?') }}
            then {{ il2_registry.try_cast(dbt.concat([il2_registry.iso_date_text(
                dbt.split_part(date_part, "'-'", 1), dbt.split_part(date_part, "'-'", 2), dbt.split_part(date_part, "'-'", 3)
            ), "' '", hms]), api.Column.translate_type('timestamp')) }}
        when {{ il2_registry.matches_pattern(expression, '[0-9]{1,2}/[0-9]{1,2}/[1-9][0-9]{3} ([01]?[0-9]|2[0-3]):[0-9]{2}(:[0-9]{2})?') }}
            then {{ il2_registry.try_cast(dbt.concat([il2_registry.iso_date_text(
                dbt.split_part(date_part, "'/'", 3), dbt.split_part(date_part, "'/'", 1), dbt.split_part(date_part, "'/'", 2)
            ), "' '", hms]), api.Column.translate_type('timestamp')) }}
    end
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    case
        when regexp_full_match({{ expression }}, '[1-9]\d{3}-\d{1,2}-\d{1,2}[ T]([01]?\d|2[0-3]):\d{2}(:\d{2})?')
            then try_cast(replace({{ expression }}, 'T', ' ') as timestamp)
        when regexp_full_match({{ expression }}, '\d{1,2}/\d{1,2}/[1-9]\d{3} ([01]?\d|2[0-3]):\d{2}(:\d{2})?')
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
