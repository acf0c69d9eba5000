{#- Clinical rule "day 1" (DATA_DICTIONARY "Derivation rules"): the date of the first HD IL-2
    dose given (earliest admin_datetime in the dose log); for a patient without dose records,
    the enrolment form's il2_start_date. When both exist and differ the dose log wins (the
    difference is reported in audit.findings, check day1_mismatch). A dose dated before 1992
    (HD IL-2's first approval) or after the export (the manifest's created_at) is implausible:
    it is set aside here and never becomes day 1 (audit.findings implausible_date).
    Grain: one row per usable patient. Docs and unit test: models/intermediate/rules/ingest/int_day1.yml. -#}
with patients as (
    select patient_id, il2_start_date
    from {{ ref('int_patients_checked') }}
    where row_status = 'used'
),

manifest as (
    select * from {{ ref('stg_registry__manifest') }}
),

doses as (
    select doses.patient_id, doses.admin_datetime
    from {{ ref('int_il2_doses_checked') }} as doses
    cross join manifest
    where
        doses.row_status = 'used'
        and {{ il2_registry.is_plausible_event_date('doses.admin_datetime', 'manifest.created_at') }}
),

first_doses as (
    select
        patient_id,
        cast(min(admin_datetime) as date) as first_dose_date
    from doses
    group by patient_id
),

final as (
    select
        patients.patient_id,
        coalesce(first_doses.first_dose_date, patients.il2_start_date) as day1_date,
        case when first_doses.first_dose_date is not null then 'dose_log' else 'enrolment_form' end
            as day1_source,
        first_doses.first_dose_date,
        patients.il2_start_date as enrolment_il2_start_date
    from patients
    left join first_doses on patients.patient_id = first_doses.patient_id
)

select * from final
