{{ config(materialized='ephemeral') }}
{#- Findings `implausible_date` (docs/data_quality.md): dates no real record can have. The
    columns are those of audit.findings' union (file, row_number, patient_id, check_name,
    detail, column_name, value). The detail says what the warehouse did with the value:
    - a dose, cycle, assessment, adverse event, therapy or follow-up date before 1992-01-01
      (HD IL-2's first approval) or after the export (manifest created_at): kept in core; a
      dose is set aside for day 1 (int_day1), a follow-up contact by overall survival
      (int_overall_survival); dates after the cut-off are also ignored for analysis
      (after_data_cutoff);
    - a birth date before 1900 or after day 1: the age at day 1 is null (int_patients_aged);
      birth dates are PHI, so the value is '<redacted>' and no date is written;
    - a primary or metastatic diagnosis date before birth: kept (value '<redacted>': with the
      check it would bound the birth date);
    - a death before day 1: ignored by overall survival (int_overall_survival), reported here;
    - a dose-log day 1 more than a year (365 days) from the enrolment form's il2_start_date:
      the dose log is used (day1_mismatch reports every difference; this one is implausible). -#}
{%- set event_dates = [
    ('il2_doses.csv', 'fct_il2_doses', 'admin_date', 'admin_datetime', 'set aside for day 1, kept in core'),
    ('il2_cycles.csv', 'fct_il2_cycles', 'admission_date', 'admission_date', 'kept in core'),
    ('il2_cycles.csv', 'fct_il2_cycles', 'discharge_date', 'discharge_date', 'kept in core'),
    ('tumor_assessments.csv', 'fct_tumor_assessments', 'assessment_date', 'assessment_date', 'kept in core'),
    ('adverse_events.csv', 'fct_adverse_events', 'onset_date', 'onset_date', 'kept in core'),
    ('adverse_events.csv', 'fct_adverse_events', 'resolution_date', 'resolution_date', 'kept in core'),
    ('prior_therapies.csv', 'fct_therapy_lines', 'start_date', 'start_date', 'kept in core'),
    ('prior_therapies.csv', 'fct_therapy_lines', 'end_date', 'end_date', 'kept in core'),
    ('subsequent_therapies.csv', 'fct_therapy_lines', 'start_date', 'start_date', 'kept in core'),
    ('follow_up.csv', 'fct_follow_up_contacts', 'contact_date', 'contact_date', 'the contact is set aside by overall survival, kept in core'),
    ('follow_up.csv', 'fct_follow_up_contacts', 'death_date', 'death_date', 'the contact is set aside by overall survival, kept in core'),
    ('follow_up.csv', 'fct_follow_up_contacts', 'progression_date', 'progression_date', 'kept in core'),
] -%}
with extract as (
    select * from {{ ref('dim_extract') }}
),

patients as (
    select * from {{ ref('dim_patient') }}
),

aged as (
    select * from {{ ref('int_patients_aged') }}
),

day1 as (
    select * from {{ ref('int_day1') }}
),

event_dates as (
    {% for file_name, model, date_column, column_name, action in event_dates %}
    select
        '{{ file_name }}' as file,
        source_row_number as row_number,
        patient_id,
        '{{ column_name }}' as column_name,
        cast({{ date_column }} as date) as date_value,
        '{{ action }}' as action
    from {{ ref(model) }}
    {%- if model == 'fct_therapy_lines' %}
    where source_file = '{{ file_name }}'
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

event_findings as (
    select
        event_dates.file,
        event_dates.row_number,
        event_dates.patient_id,
        'implausible_date' as check_name,
        event_dates.column_name || ' ' || cast(event_dates.date_value as {{ dbt.type_string() }})
        || case
            when event_dates.date_value < {{ il2_registry.plausible_event_dates_from() }}
                then ' is before 1992 (HD IL-2''s first approval)'
            else ' is after the export (manifest created_at '
                || cast(extract.created_at as {{ dbt.type_string() }}) || ')'
        end
        || ': ' || event_dates.action as detail,
        event_dates.column_name,
        cast(event_dates.date_value as {{ dbt.type_string() }}) as value
    from event_dates
    cross join extract
    where not {{ il2_registry.is_plausible_event_date('event_dates.date_value', 'extract.created_at') }}
),

birth_findings as (
    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'implausible_date' as check_name,
        case
            when is_birth_date_before_1900 then 'birth_date is before 1900: age at day 1 set to null'
            else 'birth_date is after day 1: age at day 1 set to null'
        end as detail,
        'birth_date' as column_name,
        '<redacted>' as value
    from aged
    where is_birth_date_before_1900 or is_birth_date_after_day1

    union all

    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'implausible_date' as check_name,
        'primary_diagnosis_date is before birth_date: kept, check both dates' as detail,
        'primary_diagnosis_date' as column_name,
        '<redacted>' as value
    from aged
    where is_primary_diagnosis_before_birth

    union all

    select
        'patients.csv' as file,
        source_row_number as row_number,
        patient_id,
        'implausible_date' as check_name,
        'metastatic_diagnosis_date is before birth_date: kept, check both dates' as detail,
        'metastatic_diagnosis_date' as column_name,
        '<redacted>' as value
    from aged
    where is_metastatic_diagnosis_before_birth
),

death_findings as (
    select
        'follow_up.csv' as file,
        contacts.source_row_number as row_number,
        contacts.patient_id,
        'implausible_date' as check_name,
        'death_date ' || cast(contacts.death_date as {{ dbt.type_string() }}) || ' is before day 1 '
        || cast(patients.day1_date as {{ dbt.type_string() }}) || ': ignored by overall survival' as detail,
        'death_date' as column_name,
        cast(contacts.death_date as {{ dbt.type_string() }}) as value
    from {{ ref('fct_follow_up_contacts') }} as contacts
    inner join patients on contacts.patient_id = patients.patient_id
    where contacts.death_date < patients.day1_date
),

day1_findings as (
    select
        'patients.csv' as file,
        patients.source_row_number as row_number,
        patients.patient_id,
        'implausible_date' as check_name,
        'dose-log day 1 ' || cast(day1.first_dose_date as {{ dbt.type_string() }})
        || ' is more than a year from the enrolment form''s il2_start_date '
        || cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
        || ': the dose log is used' as detail,
        'il2_start_date' as column_name,
        cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }}) as value
    from day1
    inner join patients on day1.patient_id = patients.patient_id
    where abs({{ dbt.datediff('day1.enrolment_il2_start_date', 'day1.first_dose_date', 'day') }}) > 365
),

final as (
    select * from event_findings
    union all
    select * from birth_findings
    union all
    select * from death_findings
    union all
    select * from day1_findings
)

select * from final
