{{ check_registry_rows(
    ref('stg_registry__il2_cycles'),
    ['patient_id', 'course_number', 'cycle_in_course', 'admission_date'],
    parent=ref('int_patients_checked'),
    key_columns=['patient_id', 'course_number', 'cycle_in_course'],
) }}
