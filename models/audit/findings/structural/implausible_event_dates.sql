{#- Check implausible_date, event dates (structural: a record's own date against the export):
    a dose, cycle (admission, discharge), tumor assessment, adverse event (onset, resolution),
    therapy (start, end) or follow-up (contact, death, progression) date before 1992-01-01
    (HD IL-2's first approval) or after the export (manifest created_at; macro
    is_plausible_event_date). Kept in core; a dose so dated is set aside for day 1 (int_day1),
    a follow-up contact by overall survival (int_overall_survival); dates after the cut-off are
    also ignored for analysis (after_data_cutoff). The detail says what was done. Each entry:
    (file, core relation, its date column, the extract's column named in the finding, action). -#}
{%- set event_dates = [
    ('il2_doses.csv', 'il2_doses', 'admin_date', 'admin_datetime', 'set aside for day 1, kept in core'),
    ('il2_cycles.csv', 'il2_cycles', 'admission_date', 'admission_date', 'kept in core'),
    ('il2_cycles.csv', 'il2_cycles', 'discharge_date', 'discharge_date', 'kept in core'),
    ('tumor_assessments.csv', 'tumor_assessments', 'assessment_date', 'assessment_date', 'kept in core'),
    ('adverse_events.csv', 'adverse_events', 'onset_date', 'onset_date', 'kept in core'),
    ('adverse_events.csv', 'adverse_events', 'resolution_date', 'resolution_date', 'kept in core'),
    ('prior_therapies.csv', 'therapy_lines', 'start_date', 'start_date', 'kept in core'),
    ('prior_therapies.csv', 'therapy_lines', 'end_date', 'end_date', 'kept in core'),
    ('subsequent_therapies.csv', 'therapy_lines', 'start_date', 'start_date', 'kept in core'),
    ('follow_up.csv', 'follow_up_contacts', 'contact_date', 'contact_date', 'the contact is set aside by overall survival, kept in core'),
    ('follow_up.csv', 'follow_up_contacts', 'death_date', 'death_date', 'the contact is set aside by overall survival, kept in core'),
    ('follow_up.csv', 'follow_up_contacts', 'progression_date', 'progression_date', 'kept in core'),
] -%}

with

current_extract as (

    select * from {{ ref('dim_extract') }}

),

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

il2_cycles as (

    select * from {{ ref('fct_il2_cycles') }}

),

tumor_assessments as (

    select * from {{ ref('fct_tumor_assessments') }}

),

adverse_events as (

    select * from {{ ref('fct_adverse_events') }}

),

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

follow_up_contacts as (

    select * from {{ ref('fct_follow_up_contacts') }}

),

event_dates as (

    {% for file_name, relation, date_column, column_name, action in event_dates %}
    select
        '{{ file_name }}' as file,
        source_row_number as row_number,
        patient_id,
        '{{ column_name }}' as column_name,
        cast({{ date_column }} as date) as date_value,
        '{{ action }}' as action
    from {{ relation }}
    {%- if relation == 'therapy_lines' %}
    where source_file = '{{ file_name }}'
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

findings as (

    select
        event_dates.file,
        event_dates.row_number,
        event_dates.patient_id,
        'implausible_date' as check_name,
        (
            event_dates.column_name || ' ' || cast(event_dates.date_value as {{ dbt.type_string() }})
            || case
                when event_dates.date_value < {{ il2_registry.plausible_event_dates_from() }}
                    then ' is before 1992 (HD IL-2''s first approval)'
                else ' is after the export (manifest created_at '
                    || cast(current_extract.created_at as {{ dbt.type_string() }}) || ')'
            end
            || ': ' || event_dates.action
        ) as detail,
        event_dates.column_name,
        event_dates.date_value as value
    from event_dates
    cross join current_extract
    where not {{ il2_registry.is_plausible_event_date('event_dates.date_value', 'current_extract.created_at') }}

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
