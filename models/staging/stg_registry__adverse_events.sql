{{ stage_registry_file(source('registry', 'adverse_events'), registry_contract_columns('adverse_events')) }}
