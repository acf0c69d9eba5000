with baseline as (
    select * from {{ ref('int_baseline_checked') }} where row_status = 'used'
),

final as (
    select
        patient_id,
        assessment_date,
        ecog,
        weight_kg,
        n_metastatic_sites,
        ldh_value,
        ldh_uln,
        braf_status,
        nras_status,
        ckit_status,
        coalesce(
            braf_status in ('MUTANT', 'WILD_TYPE')
            or nras_status in ('MUTANT', 'WILD_TYPE')
            or ckit_status in ('MUTANT', 'WILD_TYPE'),
            false
        ) as is_mutation_status_reported,
        case brain_metastases when 'Y' then true when 'N' then false end as has_brain_metastases,
        imdc_risk,
        m_stage,
        source_row_number
    from baseline
)

select * from final
