{{ stage_registry_file(source('registry', 'tumor_assessments'), [
    {'name': 'patient_id', 'kind': 'text', 'required': true},
    {'name': 'assessment_date', 'kind': 'date', 'required': true},
    {'name': 'overall_response', 'kind': 'code', 'required': true, 'codes': ['CR', 'PR', 'SD', 'PD', 'NE']},
    {'name': 'method', 'kind': 'code', 'codes': ['CT', 'MRI', 'PET_CT', 'CLINICAL']},
    {'name': 'new_lesions', 'kind': 'code', 'codes': ['Y', 'N']},
]) }}
