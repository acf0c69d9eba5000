{#- death_date is required only on a DEAD contact (required_when in the contract; docs/bad_rows.md). -#}
{{ stage_registry_file(source('registry', 'follow_up'), registry_contract_columns('follow_up')) }}
