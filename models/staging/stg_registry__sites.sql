{{ stage_registry_file(source('registry', 'sites'), registry_contract_columns('sites')) }}
