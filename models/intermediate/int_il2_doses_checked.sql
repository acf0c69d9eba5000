{{ check_registry_rows(
    ref('stg_registry__il2_doses'),
    ['patient_id', 'course_number', 'cycle_in_course', 'dose_number', 'admin_datetime'],
    parent=ref('int_patients_checked'),
    key_columns=['patient_id', 'course_number', 'cycle_in_course', 'dose_number'],
) }}
