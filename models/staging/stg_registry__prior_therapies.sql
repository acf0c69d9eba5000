{{ stage_registry_file(source('registry', 'prior_therapies'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'line_number', 'kind': 'integer', 'min': 1, 'max': 99},
    {'name': 'regimen_text', 'kind': 'text', 'required': true},
    {'name': 'start_date', 'kind': 'partial_date', 'required': true},
    {'name': 'end_date', 'kind': 'partial_date'},
    {'name': 'best_response', 'kind': 'code', 'codes': ['CR', 'PR', 'SD', 'PD', 'NE']},
    {'name': 'reason_stopped', 'kind': 'code', 'codes': ['PROGRESSION', 'TOXICITY', 'COMPLETED', 'OTHER']},
    {'name': 'irae_reported', 'kind': 'code', 'codes': ['Y', 'N']},
]) }}
