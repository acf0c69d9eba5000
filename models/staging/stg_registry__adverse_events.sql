{{ stage_registry_file(source('registry', 'adverse_events'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'ae_seq', 'kind': 'integer', 'required': true, 'min': 1, 'max': 9999},
    {'name': 'ae_term', 'kind': 'text', 'required': true},
    {'name': 'onset_date', 'kind': 'date'},
    {'name': 'resolution_date', 'kind': 'date'},
    {'name': 'ctcae_grade', 'kind': 'integer', 'min': 1, 'max': 5},
    {'name': 'serious', 'kind': 'code', 'codes': ['Y', 'N']},
    {'name': 'related_to_il2', 'kind': 'code', 'codes': ['RELATED', 'NOT_RELATED', 'UNKNOWN']},
    {'name': 'immune_related', 'kind': 'code', 'codes': ['Y', 'N']},
    {'name': 'treated_with_steroids', 'kind': 'code', 'codes': ['Y', 'N']},
]) }}
