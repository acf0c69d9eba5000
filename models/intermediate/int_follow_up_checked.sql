{{ check_registry_rows(
    ref('stg_registry__follow_up'), ['patient_id', 'contact_date', 'vital_status', 'death_date'], parent=ref('int_patients_checked')
) }}
