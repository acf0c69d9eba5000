-- depends_on: {{ ref('stg_registry__phi_values') }} (free text scanned for PHI, macro phi_in_free_text_hits)
{{ stage_registry_file(source('registry', 'sites'), registry_contract_columns('sites')) }}
