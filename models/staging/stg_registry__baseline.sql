{{ stage_registry_file(source('registry', 'baseline'), registry_contract_columns('baseline')) }}
