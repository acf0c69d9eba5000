-- Grain: one row per patient in the analysis (patient_id).
-- The population every clinical rule works on: patients of dim_patient whose day 1 (first HD
-- IL-2 dose) is on or before the data cut-off, with the cut-off carried on each row so that
-- the rule models need no other join to apply it. A patient whose day 1 is after the data
-- lock has no analysable treatment and is left out (docs/derivation_rules.md).

with

patients as (

    select * from {{ ref('dim_patient') }}

),

extract as (

    select * from {{ ref('dim_extract') }}

),

final as (

    select
        patients.patient_id,
        patients.site_id,
        patients.disease,
        patients.day1_date,
        extract.data_cutoff_date
    from patients
    cross join extract
    where patients.day1_date is not null
        and patients.day1_date <= extract.data_cutoff_date

)

select * from final
