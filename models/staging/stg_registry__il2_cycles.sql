{{ stage_registry_file(source('registry', 'il2_cycles'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'course_number', 'kind': 'integer', 'required': true, 'min': 1, 'max': 99},
    {'name': 'cycle_in_course', 'kind': 'integer', 'required': true, 'min': 1, 'max': 2},
    {'name': 'admission_date', 'kind': 'date', 'required': true},
    {'name': 'discharge_date', 'kind': 'date'},
    {'name': 'dose_level_iu_per_kg', 'kind': 'integer', 'min': 600000, 'max': 720000},
    {'name': 'doses_planned', 'kind': 'integer', 'min': 1, 'max': 15},
    {'name': 'stop_reason', 'kind': 'code', 'codes': ['COMPLETED', 'TOXICITY', 'PATIENT_DECISION', 'OTHER']},
    {'name': 'stop_toxicity_1', 'kind': 'text'},
    {'name': 'stop_toxicity_2', 'kind': 'text'},
    {'name': 'stop_toxicity_3', 'kind': 'text'},
]) }}
