{#- One extract column, staged: the typed value plus its data-quality bookkeeping.

    registry_column('ecog', 'integer', min_value=0, max_value=4) emits
      ecog               the typed value (null when missing or bad)
      ecog__nulled       why a present value was set to null (optional column), else null
      ecog__bad_value    the value as written in the file, only when there is an issue
    and for a required column `<name>__reject` (missing_required, invalid_date, invalid_code,
    invalid_number) instead of `__nulled`. `required` may also be a SQL condition (a value
    required only in some rows, e.g. death_date when DEAD): both columns are then emitted.
    kind: text | code | date | partial_date (adds <name>_imputation) | timestamp | integer | decimal.
    codes: accepted codes (upper case); aliases: {written: code}, e.g. {'MALE': 'M'}.
    PHI columns never show their value: __bad_value is '<redacted>'.
    The reasons are those of docs/bad_rows.md; audit.rejected_rows and audit.findings
    unpivot these columns. -#}
{% macro registry_column(column, kind='text', required=false, codes=none, aliases=none, min_value=none, max_value=none, phi=false, name=none) -%}
    {%- set name = name or column -%}
    {%- set value = il2_registry.na_to_null(column) -%}
    {%- set aliases = aliases or {} -%}
    {%- if kind == 'text' -%}
        {%- set typed = value -%}
        {%- set bad_reason = none -%}
    {%- elif kind == 'code' -%}
        {%- set typed -%}
            case upper({{ value }})
                {%- for code in codes %} when '{{ code }}' then '{{ code }}'{% endfor %}
                {%- for written, code in aliases.items() %} when '{{ written }}' then '{{ code }}'{% endfor %}
            end
        {%- endset -%}
        {%- set bad_reason = 'invalid_code' -%}
    {%- elif kind == 'date' -%}
        {%- set typed = il2_registry.parse_date(value) -%}
        {%- set bad_reason = 'invalid_date' -%}
    {%- elif kind == 'partial_date' -%}
        {%- set typed = il2_registry.impute_partial_date(value, 'date') -%}
        {%- set bad_reason = 'invalid_date' -%}
    {%- elif kind == 'timestamp' -%}
        {%- set typed = il2_registry.parse_timestamp(value) -%}
        {%- set bad_reason = 'invalid_date' -%}
    {%- elif kind in ('integer', 'decimal') -%}
        {%- set parsed = il2_registry.parse_integer(value) if kind == 'integer' else il2_registry.parse_decimal(value) -%}
        {%- set typed -%}
            case
                when {{ parsed }} between {{ min_value if min_value is not none else parsed }}
                    and {{ max_value if max_value is not none else parsed }}
                    then {{ parsed }}
            end
        {%- endset -%}
        {%- set bad_reason = 'invalid_number' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("registry_column: unknown kind " ~ kind) }}
    {%- endif -%}
    {%- set bad_value_issue -%}
        {%- if bad_reason %}case when {{ value }} is not null and ({{ typed }}) is null then '{{ bad_reason }}' end{% else %}cast(null as {{ dbt.type_string() }}){% endif -%}
    {%- endset -%}
    {%- set missing_issue -%}
        case when {{ value }} is null then 'missing_required' end
    {%- endset %}
    {{ typed }} as {{ name }},
    {%- if kind == 'partial_date' %}
    {{ il2_registry.impute_partial_date(value, 'flag') }} as {{ name }}_imputation,
    {%- endif %}
    {%- if required is sameas true %}
    coalesce({{ missing_issue }}, {{ bad_value_issue }}) as {{ name }}__reject,
    {%- set any_issue = "coalesce(" ~ missing_issue ~ ", " ~ bad_value_issue ~ ")" -%}
    {%- elif required is sameas false %}
    {{ bad_value_issue }} as {{ name }}__nulled,
    {%- set any_issue = bad_value_issue -%}
    {%- else %}
    case when {{ required }} then coalesce({{ missing_issue }}, {{ bad_value_issue }}) end as {{ name }}__reject,
    case when not ({{ required }}) then {{ bad_value_issue }} end as {{ name }}__nulled,
    {%- set any_issue = "case when " ~ required ~ " then coalesce(" ~ missing_issue ~ ", " ~ bad_value_issue ~ ") else " ~ bad_value_issue ~ " end" -%}
    {%- endif %}
    case
        when ({{ any_issue }}) is not null
            then {% if phi %}'<redacted>'{% else %}coalesce({{ column }}, ''){% endif %}
    end as {{ name }}__bad_value
{%- endmacro %}

{#- A fingerprint of the whole raw row, to find exact duplicates (docs/bad_rows.md). -#}
{% macro row_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(" ~ column ~ ", '<null>')") -%}
        {%- if not loop.last %}{% do parts.append("'<|>'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
