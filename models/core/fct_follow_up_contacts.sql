with manifest as (
    select data_cutoff_date from {{ ref('stg_registry__manifest') }}
),

contacts as (
    select * from {{ ref('int_follow_up_checked') }} where row_status = 'used'
),

final as (
    select
        'follow_up:' || cast(contacts.source_row_number as {{ dbt.type_string() }}) as contact_id,
        contacts.patient_id,
        contacts.contact_date,
        contacts.vital_status,
        contacts.death_date,
        contacts.progression_date,
        contacts.contact_date > manifest.data_cutoff_date as is_after_data_cutoff,
        contacts.source_row_number
    from contacts
    cross join manifest
)

select * from final
