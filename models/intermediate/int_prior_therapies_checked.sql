{#- Required and key columns from the contract (models/staging/_registry__sources.yml). -#}
{{ check_registry_rows(
    ref('stg_registry__prior_therapies'),
    registry_contract_reject_columns('prior_therapies'),
    parent=ref('int_patients_checked'),
    key_columns=registry_contract_key_columns('prior_therapies'),
) }}
