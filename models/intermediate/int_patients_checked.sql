{#- Patients: bad rows rejected (docs/bad_rows.md), then re-edited patients de-duplicated:
    the latest last_modified wins, on a tie the later row in the file; the others are
    superseded (counted in audit.reconciliation, not used, not rejected).
    PHI: birth_date stops in staging (only int_patients_aged reads it there); its bookkeeping
    (birth_date__nulled, birth_date__bad_value = '<redacted>') comes along for audit. -#}
{%- set patients_without_phi -%}
    (select {{ columns_except(ref('stg_registry__patients'), ['birth_date']) }} from {{ ref('stg_registry__patients') }}) as staged_patients
{%- endset %}
with checked as (
    {{ check_registry_rows(
        patients_without_phi,
        registry_contract_reject_columns('patients'),
        parent=ref('int_sites_checked'),
        parent_key='site_id',
        orphan_reason='orphan_site',
        status_column='checked_status',
    ) }}
),

ranked as (
    select
        checked.*,
        case
            when checked_status = 'used'
                then row_number() over (
                    partition by patient_id, checked_status = 'used'
                    order by last_modified desc, source_row_number desc
                )
        end as edit_rank
    from checked
),

final as (
    select
        ranked.*,
        case when checked_status = 'used' and edit_rank > 1 then 'superseded' else checked_status end
            as row_status
    from ranked
)

select * from final
