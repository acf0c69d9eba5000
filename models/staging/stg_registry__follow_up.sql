{#- death_date is required only on a DEAD contact (docs/bad_rows.md). -#}
{{ stage_registry_file(source('registry', 'follow_up'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'contact_date', 'kind': 'date', 'required': true},
    {'name': 'vital_status', 'kind': 'code', 'required': true, 'codes': ['ALIVE', 'DEAD', 'LOST']},
    {'name': 'death_date', 'kind': 'date', 'required': "vital_status__typed = 'DEAD'"},
    {'name': 'progression_date', 'kind': 'date'},
]) }}
