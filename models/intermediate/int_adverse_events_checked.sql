{{ check_registry_rows(
    ref('stg_registry__adverse_events'),
    ['patient_id', 'ae_seq', 'ae_term'],
    parent=ref('int_patients_checked'),
    key_columns=['patient_id', 'ae_seq'],
) }}
