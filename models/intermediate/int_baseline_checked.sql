{#- Required and key columns from the contract (models/staging/_registry__sources.yml). -#}
{{ check_registry_rows(
    ref('stg_registry__baseline'),
    registry_contract_reject_columns('baseline'),
    parent=ref('int_patients_checked'),
    key_columns=registry_contract_key_columns('baseline'),
) }}
