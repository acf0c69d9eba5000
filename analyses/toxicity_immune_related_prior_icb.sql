-- Immune-related toxicity in the prior_icb cohort (the paper: "The database reported no
-- autoimmune toxicities ..."; the case of pneumonitis on treatment day 7 after 11 of 14 doses).
-- One row per adverse event flagged immune related by the site or whose preferred term is an
-- immune-related one, with the HD IL-2 cycle at onset. The rows are
-- marts.immune_related_adverse_events (defined once there); which flag to use for what:
-- docs/marts.md, "Immune-related adverse events".
-- Run: dbt compile, then read target/compiled/il2_registry/analyses/toxicity_immune_related_prior_icb.sql.

with

immune_related_adverse_events as (

    select * from {{ ref('immune_related_adverse_events') }}
    where cohort = 'prior_icb'

),

final as (

    select * from immune_related_adverse_events

)

select * from final
order by disease, patient_id, ae_seq
