{#- Clinical rule "age at day 1": completed years between birth and the reference date (a
    birthday counts on the day itself), capped at `cap` (90 means 90 or older, the HIPAA
    safe-harbour convention). Null when either date is null or birth is after the reference.
    Unit test: int_patients_aged in models/intermediate/_intermediate__models.yml. -#}
{% macro age_in_whole_years_capped(birth_date, reference_date, cap=90) -%}
    case
        when {{ birth_date }} is null or {{ reference_date }} is null then null
        when {{ birth_date }} > {{ reference_date }} then null
        else least(
            {{ cap }},
            extract(year from {{ reference_date }}) - extract(year from {{ birth_date }})
            - case
                when extract(month from {{ reference_date }}) * 100 + extract(day from {{ reference_date }})
                    < extract(month from {{ birth_date }}) * 100 + extract(day from {{ birth_date }})
                    then 1
                else 0
            end
        )
    end
{%- endmacro %}
