{{ stage_registry_file(source('registry', 'prior_therapies'), registry_contract_columns('prior_therapies')) }}
