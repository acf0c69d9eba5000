{{ stage_registry_file(source('registry', 'il2_doses'), registry_contract_columns('il2_doses')) }}
