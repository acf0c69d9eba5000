{#- Grain: finding (file, row_number, check_name, detail). Rows kept (used) but worth a data
    manager's look; nothing here changes what the marts count, except that records after
    the data cut-off are ignored by the marts (they are kept in core, flagged).
    Checks: value_nulled, unmapped_regimen, unmapped_ae_term, unmapped_toxicity_term,
    day1_mismatch, cr_followed_by_pr, after_data_cutoff, pd1_pdl1_on_prior_form_after_day1,
    dose_without_cycle, day1_after_data_cutoff, extra_column, site_date_style_suspect,
    endpoint_affected_by_rejected_row, implausible_date (models/audit/findings/logical/),
    phi_in_free_text (models/audit/findings/structural/).
    See docs/data_quality.md. -#}
{%- set contract_columns = {} -%}
{%- set extra_columns = [] -%}
{%- if execute -%}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'registry' -%}
        {%- set header = run_query('select * from ' ~ source(source_node.source_name, source_node.name) ~ ' limit 0').column_names -%}
        {%- for column_name in header if column_name not in source_node.columns and column_name != 'ordinality' -%}
            {%- do extra_columns.append((source_node.name ~ '.csv', column_name)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}
{#- What is valid in each contract column, in words (the contract spec, registry_valid_values),
    and the files whose rows feed an endpoint (feeds_endpoints). -#}
{%- set valid_values = [] -%}
{%- set endpoint_files = [] -%}
{%- if execute -%}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'registry' -%}
        {%- for spec in registry_contract_columns(source_node.name) -%}
            {%- do valid_values.append((source_node.name ~ '.csv', spec.name, registry_valid_values(spec))) -%}
        {%- endfor -%}
        {%- set endpoints = registry_contract_meta(source_node).get('feeds_endpoints') or [] -%}
        {%- if endpoints %}{% do endpoint_files.append((source_node.name ~ '.csv', endpoints | join(', '))) %}{% endif -%}
    {%- endfor -%}
{%- endif -%}
with patients as (
    select * from {{ ref('dim_patient') }}
),

contract_valid_values as (
    {%- for file_name, column_name, valid in valid_values %}
    select '{{ file_name }}' as file, '{{ column_name }}' as column_name, '{{ valid | replace("'", "''") }}' as valid
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

site_date_styles as (
    select * from {{ ref('int_site_date_styles') }}
),

rejected_rows as (
    select * from {{ ref('rejected_rows') }}
),

follow_up_checked as (
    select * from {{ ref('int_follow_up_checked') }}
),

value_nulled as (
    {% for file_name, model in registry_checked_files() -%}
    {{ unpivot_value_issues(file_name, model, '__nulled', "row_status = 'used'") }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

therapy_agents as (
    select * from {{ ref('fct_therapy_line_agents') }}
),

therapy_lines as (
    select * from {{ ref('fct_therapy_lines') }}
),

assessments as (
    select * from {{ ref('fct_tumor_assessments') }}
),

day1 as (
    select * from {{ ref('int_day1') }}
),

extract as (
    select * from {{ ref('dim_extract') }}
),

ae_terms_mapped as (
    select * from {{ ref('int_ae_terms_mapped') }}
),

analysis_population as (
    select * from {{ ref('int_analysis_population') }}
),

-- Every patient of core the marts leave out, whatever the population rule's reason: an
-- anti-join, so a patient cannot disappear from the analysis without a finding.
patients_outside_analysis as (
    select patients.*, extract.data_cutoff_date
    from patients
    cross join extract
    where patients.patient_id not in (select patient_id from analysis_population)
),

assessments_after_day1 as (
    select
        assessments.*,
        max(case when assessments.overall_response = 'CR' then assessments.assessment_date end) over (
            partition by assessments.patient_id
            order by assessments.assessment_date, assessments.source_row_number
            rows between unbounded preceding and 1 preceding
        ) as last_cr_before
    from assessments
    inner join patients on assessments.patient_id = patients.patient_id
    where assessments.assessment_date > patients.day1_date
),

-- A site whose slash dates read day-first: its ambiguous ones were read as US (month first).
site_date_style_findings as (
    select
        example_file as file,
        example_row_number as row_number,
        example_patient_id as patient_id,
        'site_date_style_suspect' as check_name,
        'site ' || site_id || ' looks day-first (DD/MM/YYYY): ' || cast(n_day_first as {{ dbt.type_string() }})
        || ' slash date(s) have a first part above 12 (rejected or nulled, e.g. this one) and '
        || cast(n_month_first as {{ dbt.type_string() }}) || ' a second part above 12; its '
        || cast(n_ambiguous as {{ dbt.type_string() }})
        || ' ambiguous slash date(s) (both parts 12 or less) were read as MM/DD/YYYY and may be wrong' as detail,
        example_column_name as column_name,
        example_value as value
    from site_date_styles
    where looks_day_first
),

-- An analysed patient with a rejected row in a file that feeds an endpoint (death, progression,
-- assessment, subsequent therapy): the endpoint is computed without that row. Exact duplicates
-- are left out (the identical row is used), orphans are not analysed patients.
endpoint_findings as (
    select
        rejected_rows.file,
        rejected_rows.row_number,
        rejected_rows.patient_id,
        'endpoint_affected_by_rejected_row' as check_name,
        'row rejected (' || rejected_rows.column_name || ' ' || rejected_rows.reason || ')'
        || case when follow_up_checked.vital_status = 'DEAD' then ' on a DEAD contact' else '' end
        || ': the patient is analysed and '
        || case rejected_rows.file
            {%- for file_name, endpoints in endpoint_files %} when '{{ file_name }}' then '{{ endpoints }}'{% endfor %}
        end
        || ' are computed without this row' as detail,
        rejected_rows.column_name,
        rejected_rows.value
    from rejected_rows
    inner join analysis_population on rejected_rows.patient_id = analysis_population.patient_id
    left join follow_up_checked
        on rejected_rows.file = 'follow_up.csv' and rejected_rows.row_number = follow_up_checked.source_row_number
    where
        rejected_rows.reason <> 'exact_duplicate'
        and rejected_rows.file in ({% for file_name, endpoints in endpoint_files %}'{{ file_name }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

findings as (
    select
        value_nulled.file,
        value_nulled.row_number,
        value_nulled.patient_id,
        'value_nulled' as check_name,
        value_nulled.column_name || ' = ''' || value_nulled.value || ''' (' || value_nulled.reason
        || ') set to null; valid: ' || coalesce(contract_valid_values.valid, 'see docs/contract_columns.md') as detail,
        value_nulled.column_name,
        value_nulled.value
    from value_nulled
    left join contract_valid_values
        on value_nulled.file = contract_valid_values.file and value_nulled.column_name = contract_valid_values.column_name

    union all

    select
        therapy_lines.source_file,
        therapy_lines.source_row_number,
        therapy_lines.patient_id,
        'unmapped_regimen',
        'regimen text matches no synonym or pattern: ' || therapy_lines.regimen_text,
        'regimen_text',
        therapy_lines.regimen_text
    from therapy_agents
    inner join therapy_lines on therapy_agents.therapy_line_id = therapy_lines.therapy_line_id
    where therapy_agents.agent_name = 'unmapped'

    union all

    select
        'adverse_events.csv',
        adverse_events.source_row_number,
        adverse_events.patient_id,
        'unmapped_ae_term',
        {{ unmapped_term_detail('AE term', 'adverse_events.ae_term_verbatim') }},
        'ae_term',
        adverse_events.ae_term_verbatim
    from {{ ref('fct_adverse_events') }} as adverse_events
    left join ae_terms_mapped
        on {{ normalise_verbatim('adverse_events.ae_term_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where adverse_events.preferred_term = 'UNMAPPED'

    union all

    select
        'il2_cycles.csv',
        stop_toxicities.source_row_number,
        stop_toxicities.patient_id,
        'unmapped_toxicity_term',
        {{ unmapped_term_detail('stopping toxicity', 'stop_toxicities.toxicity_verbatim') }},
        'stop_toxicity_' || cast(stop_toxicities.toxicity_position as {{ dbt.type_string() }}),
        stop_toxicities.toxicity_verbatim
    from {{ ref('fct_stop_toxicities') }} as stop_toxicities
    left join ae_terms_mapped
        on {{ normalise_verbatim('stop_toxicities.toxicity_verbatim') }} = ae_terms_mapped.verbatim_normalised
    where stop_toxicities.preferred_term = 'UNMAPPED'

    union all

    select
        'patients.csv',
        patients.source_row_number,
        patients.patient_id,
        'day1_mismatch',
        'first dose in the dose log ' || cast(day1.first_dose_date as {{ dbt.type_string() }})
        || ', enrolment form il2_start_date ' || cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
        || ' (dose log used, ' || cast({{ dbt.datediff('day1.enrolment_il2_start_date', 'day1.first_dose_date', 'day') }} as {{ dbt.type_string() }})
        || ' days)',
        'il2_start_date',
        cast(day1.enrolment_il2_start_date as {{ dbt.type_string() }})
    from day1
    inner join patients on day1.patient_id = patients.patient_id
    where day1.first_dose_date <> day1.enrolment_il2_start_date

    union all

    select
        'tumor_assessments.csv',
        source_row_number,
        patient_id,
        'cr_followed_by_pr',
        'PR on ' || cast(assessment_date as {{ dbt.type_string() }}) || ' after a CR on '
        || cast(last_cr_before as {{ dbt.type_string() }}),
        'overall_response',
        overall_response
    from assessments_after_day1
    where overall_response = 'PR' and last_cr_before is not null

    union all

    select
        'prior_therapies.csv',
        therapy_lines.source_row_number,
        therapy_lines.patient_id,
        'pd1_pdl1_on_prior_form_after_day1',
        therapy_agents.agent_name || ' (' || therapy_agents.drug_class || ') on the prior-therapy form starts '
        || cast(therapy_agents.start_date as {{ dbt.type_string() }}) || ', on or after day 1 '
        || cast(patients.day1_date as {{ dbt.type_string() }}) || ' (not counted as prior)',
        'start_date',
        cast(therapy_agents.start_date as {{ dbt.type_string() }})
    from therapy_agents
    inner join therapy_lines on therapy_agents.therapy_line_id = therapy_lines.therapy_line_id
    inner join patients on therapy_agents.patient_id = patients.patient_id
    where
        therapy_agents.setting = 'prior'
        and therapy_agents.drug_class in ('PD-1', 'PD-L1')
        and therapy_agents.start_date >= patients.day1_date

    union all

    select
        'il2_doses.csv',
        source_row_number,
        patient_id,
        'dose_without_cycle',
        'dose ' || cast(dose_number as {{ dbt.type_string() }}) || ' of course '
        || cast(course_number as {{ dbt.type_string() }}) || ' cycle ' || cast(cycle_in_course as {{ dbt.type_string() }})
        || ' has no il2_cycles row (kept; counts for day 1)',
        'cycle_in_course',
        cast(cycle_in_course as {{ dbt.type_string() }})
    from {{ ref('fct_il2_doses') }}
    where not has_cycle_record

    union all

    select
        'patients.csv',
        source_row_number,
        patient_id,
        'day1_after_data_cutoff',
        'day 1 ' || coalesce(cast(day1_date as {{ dbt.type_string() }}), '(none)')
        || ' (' || coalesce(day1_source, 'no source') || ') is after the data cut-off '
        || cast(data_cutoff_date as {{ dbt.type_string() }})
        || ': patient left out of the analysis (kept in core)',
        'il2_start_date',
        cast(day1_date as {{ dbt.type_string() }})
    from patients_outside_analysis

    {% for file_name, model, date_column in [
        ('prior_therapies.csv', 'fct_therapy_lines', 'start_date'),
        ('subsequent_therapies.csv', 'fct_therapy_lines', 'start_date'),
        ('il2_cycles.csv', 'fct_il2_cycles', 'admission_date'),
        ('il2_doses.csv', 'fct_il2_doses', 'admin_date'),
        ('adverse_events.csv', 'fct_adverse_events', 'onset_date'),
        ('tumor_assessments.csv', 'fct_tumor_assessments', 'assessment_date'),
        ('follow_up.csv', 'fct_follow_up_contacts', 'contact_date'),
    ] %}
    union all

    select
        '{{ file_name }}',
        source_row_number,
        patient_id,
        'after_data_cutoff',
        '{{ date_column }} ' || cast({{ date_column }} as {{ dbt.type_string() }}) || ' is after the data cut-off (ignored for analysis)',
        '{{ date_column }}',
        cast({{ date_column }} as {{ dbt.type_string() }})
    from {{ ref(model) }}
    where
        is_after_data_cutoff
        {%- if model == 'fct_therapy_lines' %}
        and source_file = '{{ file_name }}'
        {%- endif %}
    {% endfor %}

    union all

    select * from site_date_style_findings

    union all

    select * from endpoint_findings

    union all

    select * from {{ ref('implausible_dates') }}

    union all

    select * from {{ ref('phi_in_free_text') }}

    {% for file_name, column_name in extra_columns %}
    union all

    select
        '{{ file_name }}',
        cast(null as {{ dbt.type_bigint() }}),
        cast(null as {{ dbt.type_string() }}),
        'extra_column',
        'column "{{ column_name }}" is not in the contract; ignored',
        '{{ column_name }}',
        cast(null as {{ dbt.type_string() }})
    {% endfor %}
),

-- site_id: the patient's site in core.dim_patient (null when the patient is not known there)
final as (
    select
        findings.file,
        findings.row_number,
        findings.patient_id,
        findings.check_name,
        findings.detail,
        findings.column_name,
        findings.value,
        patients.site_id
    from findings
    left join patients
        on findings.patient_id = patients.patient_id
)

select * from final
