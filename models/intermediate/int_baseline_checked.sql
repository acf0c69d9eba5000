{{ check_registry_rows(ref('stg_registry__baseline'), ['patient_id'], parent=ref('int_patients_checked'), key_columns=['patient_id']) }}
