{#- Plausibility of a treatment or event date (doses, cycles, assessments, adverse events,
    therapies, follow-up): not before 1992-01-01 (HD IL-2's first approval) and not after the
    export (the manifest's created_at, a timestamp; no export time: no upper bound). A null
    date is not implausible. One definition for the rule that sets such dates aside (int_day1)
    and the audit.findings check implausible_date. -#}
{% macro plausible_event_dates_from() -%}
    cast('1992-01-01' as date)
{%- endmacro %}

{% macro is_plausible_event_date(value, created_at) -%}
    coalesce(
        cast({{ value }} as date) >= {{ il2_registry.plausible_event_dates_from() }}
        and ({{ created_at }} is null or cast({{ value }} as date) <= cast({{ created_at }} as date)),
        true
    )
{%- endmacro %}
