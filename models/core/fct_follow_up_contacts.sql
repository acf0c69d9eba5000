with current_extract as (
    select data_cutoff_date from {{ ref('dim_extract') }}
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
        contacts.contact_date > current_extract.data_cutoff_date as is_after_data_cutoff,
        contacts.source_row_number
    from contacts
    cross join current_extract
)

select * from final
