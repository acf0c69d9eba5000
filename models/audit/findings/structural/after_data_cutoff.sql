-- Check after_data_cutoff (structural: a row against the extract's cut-off): a dated record
-- after the data cut-off, kept in core (flag is_after_data_cutoff) and ignored by the marts.

with

therapy_lines as (

    select * from {{ ref('fct_therapy_lines') }}

),

il2_cycles as (

    select * from {{ ref('fct_il2_cycles') }}

),

il2_doses as (

    select * from {{ ref('fct_il2_doses') }}

),

adverse_events as (

    select * from {{ ref('fct_adverse_events') }}

),

tumor_assessments as (

    select * from {{ ref('fct_tumor_assessments') }}

),

follow_up_contacts as (

    select * from {{ ref('fct_follow_up_contacts') }}

),

late_records as (

    {% for file_name, relation, date_column in [
        ('prior_therapies.csv', 'therapy_lines', 'start_date'),
        ('subsequent_therapies.csv', 'therapy_lines', 'start_date'),
        ('il2_cycles.csv', 'il2_cycles', 'admission_date'),
        ('il2_doses.csv', 'il2_doses', 'admin_date'),
        ('adverse_events.csv', 'adverse_events', 'onset_date'),
        ('tumor_assessments.csv', 'tumor_assessments', 'assessment_date'),
        ('follow_up.csv', 'follow_up_contacts', 'contact_date'),
    ] %}
    select
        '{{ file_name }}' as file,
        source_row_number,
        patient_id,
        '{{ date_column }}' as column_name,
        cast({{ date_column }} as {{ dbt.type_string() }}) as date_text
    from {{ relation }}
    where is_after_data_cutoff
        {%- if relation == 'therapy_lines' %}
        and source_file = '{{ file_name }}'
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

findings as (

    select
        file,
        source_row_number as row_number,
        patient_id,
        'after_data_cutoff' as check_name,
        column_name || ' ' || date_text || ' is after the data cut-off (ignored for analysis)' as detail,
        column_name,
        date_text as value
    from late_records

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
