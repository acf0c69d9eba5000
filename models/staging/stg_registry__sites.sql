{{ stage_registry_file(source('registry', 'sites'), [
    {'name': 'site_id', 'kind': 'text', 'required': true},
    {'name': 'site_name', 'kind': 'text'},
    {'name': 'site_type', 'kind': 'code', 'codes': ['ACADEMIC', 'COMMUNITY']},
    {'name': 'state', 'kind': 'text'},
]) }}
