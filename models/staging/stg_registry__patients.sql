{#- PHI: mrn and initials only feed the row fingerprint (exact duplicates) and are not kept;
    birth_date is kept for the age at day 1 (int_patients_aged) and goes no further. -#}
{{ stage_registry_file(source('registry', 'patients'), registry_contract_columns('patients')) }}
