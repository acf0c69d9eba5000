{#- The text parsers on every engine: the dispatched branch (DuckDB's own on DuckDB, the
    portable default on Spark) and the portable default branch itself must both give the
    expected value for each case, so the DuckDB build tests the default branch too and the
    two engines accept exactly the same dates and timestamps. The text normaliser is checked in
    its dispatched branch only (default's regexp_replace replaces every match, DuckDB's only
    the first without 'g'): DuckDB's branch here, the default on Spark. Expected values by
    hand: month first for slash dates, one or two digits for month/day/hour, seconds optional,
    impossible calendar dates, year 0xxx, hour 24 and anything else null. A row returned is a
    case some branch gets wrong. -#}
{%- set date_cases = [
    ('2017-01-05', '2017-01-05'), ('2017-1-5', '2017-01-05'), ('01/05/2017', '2017-01-05'),
    ('1/5/2017', '2017-01-05'), ('02/29/2016', '2016-02-29'), ('12/31/1999', '1999-12-31'),
    ('02/30/2017', none), ('2017-02-30', none), ('13/01/2017', none), ('2017-13-01', none),
    ('2017/01/05', none), ('01-05-2017', none), ('2017-01-05T10:00', none), ('20170105', none),
    ('0000-01-01', none), ('2017-00-10', none), ('00/10/2017', none), ('2017-01-00', none),
    ('1/5/17', none), ('2017-01', none),
] -%}
{%- set timestamp_cases = [
    ('2017-01-09 08:00', '2017-01-09 08:00:00'), ('2017-01-09T16:00:30', '2017-01-09 16:00:30'),
    ('01/10/2017 00:00', '2017-01-10 00:00:00'), ('1/10/2017 8:05', '2017-01-10 08:05:00'),
    ('2017-1-9 8:00', '2017-01-09 08:00:00'), ('01/10/2017 00:00:59', '2017-01-10 00:00:59'),
    ('2016-05-12 25:61', none), ('2017-01-09 08:00:60', none), ('2017-01-09 08:60', none),
    ('2017-01-09 24:00', none), ('1/10/2017 24:00', none), ('2017-01-09', none),
    ('yesterday 8pm', none), ('02/30/2017 10:00', none), ('2017-01-09 08:00:00.5', none),
] -%}
{#- Text with chr(9) tab, chr(10) newline, chr(13) carriage return, chr(12) form feed:
    collapsed to one space; chr(11) vertical tab is not white space to RE2 (kept). -#}
{%- set text_cases = [
    ("'  Nivolumab   plus  Ipilimumab '", 'nivolumab plus ipilimumab'),
    (dbt.concat(["'HD'", "chr(9)", "chr(10)", "'IL-2'"]), 'hd il-2'),
    (dbt.concat(["'a'", "chr(13)", "chr(10)", "'B'", "chr(12)", "'c'"]), 'a b c'),
    (dbt.concat(["'x'", "chr(11)", "'y'"]), none),
] -%}
{#- The missing-value cleaner (na_to_null, with trim_whitespace inside) in its dispatched
    branch: white space is space, chr(9) to chr(13) and chr(160), at either end only; chr(8)
    and chr(14) are not white space; interior white space is kept; the missing tokens in any
    case and padding. Expected values by hand. DuckDB only: a first or last code point of
    white space beside a combining accent (chr(769), beyond Spark's one-byte chr) is trimmed
    and one that is not at an end is kept. -#}
{%- set cleaned_cases = [
    ("' a'", "'a'"), (dbt.concat(["'a'", "chr(9)"]), "'a'"),
    (dbt.concat(["chr(160)", "'b'", "chr(13)"]), "'b'"), (dbt.concat(["chr(13)", "chr(10)", "'c'"]), "'c'"),
    (dbt.concat(["'x'", "chr(12)", "'y'"]), dbt.concat(["'x'", "chr(12)", "'y'"])),
    (dbt.concat(["chr(8)", "'z'"]), dbt.concat(["chr(8)", "'z'"])), (dbt.concat(["'z'", "chr(14)"]), dbt.concat(["'z'", "chr(14)"])),
    ("' na '", none), (dbt.concat(["chr(9)", "'unk'", "chr(160)"]), none), ("'n/a'", none), ("' . '", none),
    ("''", none), ("chr(11)", none), ("cast(null as " ~ dbt.type_string() ~ ")", none), ("'NAN'", "'NAN'"), ("'UNKNOWN'", "'UNKNOWN'"),
] + ([
    (dbt.concat(["' '", "chr(769)", "'a'"]), dbt.concat(["chr(769)", "'a'"])),
    (dbt.concat(["'a'", "chr(160)", "chr(769)"]), dbt.concat(["'a'", "chr(160)", "chr(769)"])),
] if target.type == 'duckdb' else []) -%}
with date_cases as (
    {%- for value, expected in date_cases %}
    select
        '{{ value }}' as value,
        {{ il2_registry.parse_date("'" ~ value ~ "'") }} as dispatched,
        {{ il2_registry.default__parse_date("'" ~ value ~ "'") }} as portable,
        {% if expected %}cast('{{ expected }}' as date){% else %}cast(null as date){% endif %} as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

timestamp_cases as (
    {%- for value, expected in timestamp_cases %}
    select
        '{{ value }}' as value,
        {{ il2_registry.parse_timestamp("'" ~ value ~ "'") }} as dispatched,
        {{ il2_registry.default__parse_timestamp("'" ~ value ~ "'") }} as portable,
        {% if expected %}cast('{{ expected }}' as {{ dbt.type_timestamp() }}){% else %}cast(null as {{ dbt.type_timestamp() }}){% endif %} as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

text_cases as (
    {%- for value, expected in text_cases %}
    select
        {{ loop.index }} as case_number,
        {{ il2_registry.normalise_verbatim(value) }} as dispatched,
        {% if expected %}'{{ expected }}'{% else %}{{ dbt.concat(["'x'", "chr(11)", "'y'"]) }}{% endif %} as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

cleaned_cases as (
    {%- for value, expected in cleaned_cases %}
    select
        {{ loop.index }} as case_number,
        {{ il2_registry.na_to_null(value) }} as dispatched,
        {% if expected %}{{ expected }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

failures as (
    select 'date ' || value as failing_case from date_cases
    where (dispatched is null) <> (expected is null) or dispatched <> expected
        or (portable is null) <> (expected is null) or portable <> expected
    union all
    select 'timestamp ' || value from timestamp_cases
    where (dispatched is null) <> (expected is null) or dispatched <> expected
        or (portable is null) <> (expected is null) or portable <> expected
    union all
    select 'text case ' || cast(case_number as {{ dbt.type_string() }}) from text_cases
    where dispatched <> expected
    union all
    select 'cleaned case ' || cast(case_number as {{ dbt.type_string() }}) from cleaned_cases
    where (dispatched is null) <> (expected is null) or dispatched <> expected
)

select * from failures
