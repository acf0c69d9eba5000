{#- Staging of one extract file: every column typed, with its data-quality bookkeeping.

    stage_registry_file(source_relation, columns) where columns is a list of specs:
      {'name': 'ecog', 'kind': 'integer', 'min': 0, 'max': 4}
    kind: text | code | date | partial_date | timestamp | integer | decimal | patient_id
    required: true (a missing or bad value rejects the row), false (a bad value is nulled),
              or a SQL condition on the raw row (required only there, e.g. death_date when DEAD)
    codes: accepted codes (upper case); aliases: {written (upper case): code}
    phi: the value never leaves staging in clear (bad values show as '<redacted>')
    keep: false -> the column only feeds the row fingerprint (mrn, initials)

    Output per kept column <c>:
      <c>                the typed value (null when missing or bad)
      <c>_imputation     partial dates only: D, M or null (macro impute_partial_date)
      <c>__reject        required columns: missing_required | invalid_date | invalid_code | invalid_number
                         | invalid_patient_id
      <c>__nulled        optional columns: why a present value was set to null
      <c>__bad_value     the value as written in the file, only when there is an issue
      <c>__phi           free-text columns: the kind of PHI found in the text (mrn, birth_date,
                         initials; macro phi_in_free_text_hits), whose value is then '<redacted>' 
    plus source_row_number (data-row number in the file, header excluded, from 1) and
    row_fingerprint (hash of the whole raw row, for exact duplicates). Reasons are those of
    docs/bad_rows.md; audit.rejected_rows and audit.findings unpivot these columns.
    Cleaning, typing and checking are separate CTEs so each expression is written once. -#}
{% macro stage_registry_file(source_relation, columns) -%}
with source as {{ il2_registry.materialized_cte() }}(
    select * from {{ il2_registry.registry_reader(source_relation) }}
),

cleaned as (
    select
        ordinality as source_row_number,
        {%- for column in columns %}
        {{ column.name }} as {{ column.name }}__original,
        {{ il2_registry.na_to_null(column.name) }} as {{ column.name }}__text,
        {%- endfor %}
        {{ il2_registry.row_fingerprint(columns | map(attribute='name') | list) }} as row_fingerprint,
        {{ il2_registry.registry_malformed_row(source_relation, columns) }} as malformed_detail
    from source
),

{%- set free_text = columns | selectattr('free_text') | list %}
{%- if free_text %}

phi_hits as (
    {{ il2_registry.phi_in_free_text_hits('cleaned', columns, 'patient_id' in columns | map(attribute='name') | list) }}
),

phi_by_row as (
    select
        source_row_number
        {%- for column in free_text %},
        min(case when column_name = '{{ column.name }}' then phi_kind end) as {{ column.name }}__phi
        {%- endfor %}
    from phi_hits
    group by source_row_number
),
{%- endif %}

typed as (
    select
        cleaned.*
        {%- for column in free_text %},
        phi_by_row.{{ column.name }}__phi
        {%- endfor %}
        {%- for column in columns if column.get('keep', true) %},
        {%- if column.get('free_text') %}
        case when phi_by_row.{{ column.name }}__phi is not null then '<redacted>' else {{ il2_registry.registry_typed_value(column) }} end as {{ column.name }}__typed
        {%- else %}
        {{ il2_registry.registry_typed_value(column) }} as {{ column.name }}__typed
        {%- endif %}
        {%- if column.kind == 'partial_date' %},
        {{ il2_registry.impute_partial_date(column.name ~ '__text', 'flag') }} as {{ column.name }}__imputation_flag
        {%- endif %}
        {%- endfor %}
    from cleaned
    {%- if free_text %}
    left join phi_by_row on cleaned.source_row_number = phi_by_row.source_row_number
    {%- endif %}
),

final as (
    select
        source_row_number,
        {%- for column in columns if column.get('keep', true) %}
        {{ il2_registry.registry_checked_columns(column) }},
        {%- endfor %}
        row_fingerprint,
        malformed_detail
    from typed
)

select * from final
{%- endmacro %}

{#- The typed value of one column from its cleaned text (<name>__text). -#}
{% macro registry_typed_value(column) -%}
    {%- set text = column.name ~ '__text' -%}
    {%- if column.kind == 'text' -%}
        {{ text }}
    {%- elif column.kind == 'patient_id' -%}
        {{ il2_registry.canonical_patient_id(text) }}
    {%- elif column.kind == 'code' -%}
        case upper({{ text }})
            {%- for code in column.codes %} when '{{ code }}' then '{{ code }}'{% endfor %}
            {%- for written, code in (column.get('aliases') or {}).items() %} when '{{ written }}' then '{{ code }}'{% endfor %}
        end
    {%- elif column.kind == 'date' -%}
        {{ il2_registry.parse_date(text) }}
    {%- elif column.kind == 'partial_date' -%}
        {{ il2_registry.impute_partial_date(text, 'date') }}
    {%- elif column.kind == 'timestamp' -%}
        {{ il2_registry.parse_timestamp(text) }}
    {%- elif column.kind in ('integer', 'decimal') -%}
        {%- set parsed = il2_registry.parse_integer(text) if column.kind == 'integer' else il2_registry.parse_decimal(text) -%}
        {%- if column.get('min') is none and column.get('max') is none -%}
            {{ parsed }}
        {%- else -%}
        case
            when ({{ parsed }}) between {{ column.get('min', -1e18) }} and {{ column.get('max', 1e18) }}
                then {{ parsed }}
        end
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("stage_registry_file: unknown kind " ~ column.kind ~ " for " ~ column.name) }}
    {%- endif -%}
{%- endmacro %}

{#- The output columns of one column: value, imputation flag, issue, bad value. -#}
{% macro registry_checked_columns(column) -%}
    {%- set name = column.name -%}
    {%- set text = name ~ '__text' -%}
    {%- set typed = name ~ '__typed' -%}
    {%- set required = column.get('required', false) -%}
    {%- set reason = {
        'text': none, 'patient_id': 'invalid_patient_id', 'code': 'invalid_code', 'date': 'invalid_date', 'partial_date': 'invalid_date',
        'timestamp': 'invalid_date', 'integer': 'invalid_number', 'decimal': 'invalid_number',
    }[column.kind] -%}
    {%- set bad_issue -%}
        {%- if reason %}case when {{ text }} is not null and {{ typed }} is null then '{{ reason }}' end
        {%- else %}cast(null as {{ dbt.type_string() }}){% endif -%}
    {%- endset -%}
    {%- set missing_or_bad_issue = "coalesce(case when " ~ text ~ " is null then 'missing_required' end, " ~ bad_issue ~ ")" -%}
    {{ typed }} as {{ name }},
    {%- if column.get('free_text') %}
        {{ name }}__phi,
    {%- endif %}
    {%- if column.kind == 'partial_date' %}
        {{ name }}__imputation_flag as {{ name }}_imputation,
    {%- endif %}
    {%- if required is sameas true %}
        {{ missing_or_bad_issue }} as {{ name }}__reject,
        {%- set any_issue = missing_or_bad_issue -%}
    {%- elif required is sameas false %}
        {{ bad_issue }} as {{ name }}__nulled,
        {%- set any_issue = bad_issue -%}
    {%- else %}
        case when {{ required }} then {{ missing_or_bad_issue }} end as {{ name }}__reject,
        case when not ({{ required }}) then {{ bad_issue }} end as {{ name }}__nulled,
        {%- set any_issue = "case when " ~ required ~ " then " ~ missing_or_bad_issue ~ " else " ~ bad_issue ~ " end" -%}
    {%- endif %}
        case
            when ({{ any_issue }}) is not null
                then {% if column.get('phi') %}'<redacted>'{% else %}coalesce({{ name }}__original, ''){% endif %}
        end as {{ name }}__bad_value
{%- endmacro %}

{#- A fingerprint of the whole raw row, to find exact duplicates (docs/bad_rows.md). -#}
{% macro row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(" ~ column ~ ", '<null>')") -%}
        {%- if not loop.last %}{% do parts.append("'<|>'") %}{% endif -%}
    {%- endfor -%}
    {{ il2_registry.row_hash(parts) }}
{%- endmacro %}

{#- The hash of a row's text, from its parts (text expressions, none null). DuckDB keeps the
    whole MD5 as a 128-bit number (md5_number, a UHUGEINT): the same digest as dbt.hash's text,
    grouped and joined faster (docs/performance.md, fifth round). It builds the text in one
    concat() call: dbt.concat's chain of || builds every intermediate text, about 6 % of the
    dose log's staging CPU at 1M (sixth round). Elsewhere dbt.hash of dbt.concat. -#}
{% macro row_hash(parts) -%}
    {{- return(adapter.dispatch('row_hash', 'il2_registry')(parts)) -}}
{%- endmacro %}

{% macro default__row_hash(parts) -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{% macro duckdb__row_hash(parts) -%}
    md5_number(concat({{ parts | join(', ') }}))
{%- endmacro %}


{#- Why a record is malformed (its field count is not the header's), or null. The reader pads
    a short record with nulls (null_padding; an empty field is '' because nullstr is a token no
    field holds) and puts the fields of a long one into extra columns column<N> (the sources'
    external_location): a null in a contract column, or a value in such a column, is a broken
    record, rejected as malformed_row by check_registry_rows. Only for the real files (a unit
    test's given rows have no such bookkeeping). -#}
{% macro registry_malformed_row(source_relation, columns) -%}
    {%- set padded = [] -%}
    {%- if execute and 'read_csv(' in (source_relation | string) -%}
        {%- for name in run_query('select * from ' ~ source_relation ~ ' limit 0').column_names -%}
            {%- if modules.re.fullmatch('column[0-9]+', name) and name not in columns | map(attribute='name') | list -%}
                {%- do padded.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    case
        when {% for column in columns %}{{ column.name }} is null{% if not loop.last %} or {% endif %}{% endfor %}
            then 'fewer fields than the header'
        {%- if padded %}
        when coalesce({{ padded | join(', ') }}) is not null then 'more fields than the header'
        {%- endif %}
    end
    {%- else -%}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
