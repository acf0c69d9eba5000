{{ stage_registry_file(source('registry', 'il2_cycles'), registry_contract_columns('il2_cycles')) }}
