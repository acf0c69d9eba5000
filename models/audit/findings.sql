{#- Grain: finding (file, row_number, check_name, detail). Rows kept (used) but worth a data
    manager's look; nothing here changes what the marts count, except that records after
    the data cut-off are ignored by the marts (they are kept in core, flagged).
    One model per check in models/audit/findings/<tier>/ (structural: the extract and its
    rows; logical: cross-file consistency; clinical: plausibility), each with a contract and
    a unit test; this model is their union (macro audit_findings_union, a loop over the
    folder) with the patient's site. Adding a check is adding its file (and its line below:
    dbt parses with an empty graph and no way to list the folder, so only a ref() the parser
    sees makes the dependency; a missing line stops the run and names it; docs/data_quality.md).
    See docs/data_quality.md. -#}
-- depends_on: {{ ref('value_nulled') }}
-- depends_on: {{ ref('unmapped_regimen') }}
-- depends_on: {{ ref('unmapped_ae_term') }}
-- depends_on: {{ ref('unmapped_toxicity_term') }}
-- depends_on: {{ ref('after_data_cutoff') }}
-- depends_on: {{ ref('site_date_style_suspect') }}
-- depends_on: {{ ref('extra_column') }}
-- depends_on: {{ ref('day1_mismatch') }}
-- depends_on: {{ ref('dose_without_cycle') }}
-- depends_on: {{ ref('pd1_pdl1_on_prior_form_after_day1') }}
-- depends_on: {{ ref('day1_after_data_cutoff') }}
-- depends_on: {{ ref('endpoint_affected_by_rejected_row') }}
-- depends_on: {{ ref('cr_followed_by_pr') }}
-- depends_on: {{ ref('implausible_event_dates') }}
-- depends_on: {{ ref('implausible_birth_dates') }}
-- depends_on: {{ ref('implausible_diagnosis_dates') }}
-- depends_on: {{ ref('implausible_death_dates') }}
-- depends_on: {{ ref('implausible_day1_dates') }}
-- depends_on: {{ ref('phi_in_free_text') }}

with

findings as (

    {{ audit_findings_union() }}

),

patients as (

    select * from {{ ref('dim_patient') }}

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
