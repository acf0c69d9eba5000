{{ check_registry_rows(ref('stg_registry__subsequent_therapies'), ['patient_id', 'regimen_text', 'start_date'], parent=ref('int_patients_checked')) }}
