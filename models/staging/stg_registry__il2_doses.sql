{{ stage_registry_file(source('registry', 'il2_doses'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'course_number', 'kind': 'integer', 'required': true, 'min': 1, 'max': 99},
    {'name': 'cycle_in_course', 'kind': 'integer', 'required': true, 'min': 1, 'max': 2},
    {'name': 'dose_number', 'kind': 'integer', 'required': true, 'min': 1, 'max': 15},
    {'name': 'admin_datetime', 'kind': 'timestamp', 'required': true},
    {'name': 'dose_iu_per_kg', 'kind': 'integer', 'min': 1, 'max': 1000000},
]) }}
