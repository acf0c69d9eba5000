{#- PHI: mrn and initials only feed the row fingerprint (exact duplicates) and are not kept;
    birth_date is kept for the age at day 1 (int_patients_aged) and goes no further. -#}
{{ stage_registry_file(source('registry', 'patients'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'site_id', 'kind': 'text', 'required': true},
    {'name': 'mrn', 'kind': 'text', 'phi': true, 'keep': false},
    {'name': 'initials', 'kind': 'text', 'phi': true, 'keep': false},
    {'name': 'birth_date', 'kind': 'date', 'phi': true},
    {'name': 'sex', 'kind': 'code', 'codes': ['M', 'F', 'U'], 'aliases': {'MALE': 'M', 'FEMALE': 'F', 'UNKNOWN': 'U'}},
    {'name': 'race', 'kind': 'code', 'codes': ['WHITE', 'BLACK', 'ASIAN', 'OTHER', 'UNKNOWN']},
    {'name': 'consent_date', 'kind': 'date'},
    {'name': 'disease', 'kind': 'code', 'required': true, 'codes': ['MELANOMA', 'RCC']},
    {'name': 'primary_diagnosis_date', 'kind': 'partial_date'},
    {'name': 'metastatic_diagnosis_date', 'kind': 'partial_date'},
    {'name': 'il2_start_date', 'kind': 'date', 'required': true},
    {'name': 'last_modified', 'kind': 'timestamp', 'required': true},
]) }}
