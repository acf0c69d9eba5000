{#- Clinical rule "partial date imputation" (DATA_DICTIONARY "Dates", ADaM convention):
      YYYY-MM-DD or MM/DD/YYYY -> that date, flag null
      YYYY-MM                  -> the 15th of that month, flag 'D' (day imputed)
      YYYY                     -> July 1st of that year, flag 'M' (month and day imputed)
      anything else            -> null date, null flag (the caller reports the bad value)
    `value` is an expression already cleaned of NA tokens (na_to_null); output='date' gives
    the imputed date, output='flag' its companion <column>_imputation value. Its own model and
    unit test: models/intermediate/rules/ingest/int_partial_date_imputation (.sql, .yml); also tested
    inside staging: models/staging/_registry__models.yml (stg_registry__prior_therapies). -#}
{% macro impute_partial_date(value, output='date') -%}
    {%- set full_date = il2_registry.parse_date(value) -%}
    {%- set year_month = il2_registry.matches_pattern(value, '[0-9]{4}-(0[1-9]|1[0-2])') -%}
    {%- set year_only = il2_registry.matches_pattern(value, '[0-9]{4}') -%}
    {%- if output == 'date' -%}
    coalesce(
        {{ full_date }},
        case
            when {{ year_month }} then {{ il2_registry.parse_date(dbt.concat([value, "'-15'"])) }}
            when {{ year_only }} then {{ il2_registry.parse_date(dbt.concat([value, "'-07-01'"])) }}
        end
    )
    {%- else -%}
    case
        when {{ full_date }} is not null then null
        when {{ year_month }} then 'D'
        when {{ year_only }} then 'M'
    end
    {%- endif -%}
{%- endmacro %}
