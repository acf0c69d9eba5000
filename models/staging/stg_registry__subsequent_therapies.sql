{{ stage_registry_file(source('registry', 'subsequent_therapies'), registry_contract_columns('subsequent_therapies')) }}
