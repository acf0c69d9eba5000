{{ check_registry_rows(ref('stg_registry__sites'), ['site_id'], key_columns=['site_id']) }}
