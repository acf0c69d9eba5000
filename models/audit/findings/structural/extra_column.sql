-- Check extra_column (structural: the extract's files): a column of a file's header that is
-- not in the contract; ignored. One finding per file and column, row_number null (the whole
-- file). The headers are read when the model runs (stg_registry__file_columns), not while
-- compiling.

with

file_columns as (

    select * from {{ ref('stg_registry__file_columns') }}

),

final as (

    select
        cast(file as {{ dbt.type_string() }}) as file,
        cast(null as {{ dbt.type_bigint() }}) as row_number,
        cast(null as {{ dbt.type_string() }}) as patient_id,
        cast('extra_column' as {{ dbt.type_string() }}) as check_name,
        cast('column "' || column_name || '" is not in the contract; ignored' as {{ dbt.type_string() }}) as detail,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as value
    from file_columns
    where not is_contract_column

)

select * from final
