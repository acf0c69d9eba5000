{#- Required and key columns from the contract (models/staging/_registry__sources.yml). -#}
{{ check_registry_rows(
    ref('stg_registry__adverse_events'),
    registry_contract_reject_columns('adverse_events'),
    parent=ref('int_patients_checked'),
    key_columns=registry_contract_key_columns('adverse_events'),
) }}
