{{ stage_registry_file(source('registry', 'tumor_assessments'), registry_contract_columns('tumor_assessments')) }}
