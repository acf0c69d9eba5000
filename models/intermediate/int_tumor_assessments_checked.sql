{{ check_registry_rows(
    ref('stg_registry__tumor_assessments'), ['patient_id', 'assessment_date', 'overall_response'], parent=ref('int_patients_checked')
) }}
