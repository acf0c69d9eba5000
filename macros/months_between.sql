{#- Months between two dates, the registry's one convention: whole days / 30.4375 (the mean
    month of the Gregorian calendar), no +1. Every "months" column goes through here. -#}
{% macro months_between(start_date, end_date) -%}
    (cast({{ dbt.datediff(start_date, end_date, 'day') }} as double) / 30.4375)
{%- endmacro %}
