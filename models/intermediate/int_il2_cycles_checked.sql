{#- Required and key columns from the contract (models/staging/_registry__sources.yml). -#}
{{ check_registry_rows(
    ref('stg_registry__il2_cycles'),
    registry_contract_reject_columns('il2_cycles'),
    parent=ref('int_patients_checked'),
    key_columns=registry_contract_key_columns('il2_cycles'),
) }}
