{#- Required and key columns from the contract (models/staging/_registry__sources.yml). -#}
{{ check_registry_rows(
    ref('stg_registry__sites'),
    registry_contract_reject_columns('sites'),
    key_columns=registry_contract_key_columns('sites'),
) }}
