{{ stage_registry_file(source('registry', 'subsequent_therapies'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'regimen_text', 'kind': 'text', 'required': true},
    {'name': 'start_date', 'kind': 'partial_date', 'required': true},
]) }}
