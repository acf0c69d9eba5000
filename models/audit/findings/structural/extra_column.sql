-- Check extra_column (structural: the extract's files): a column of a file's header that is
-- not in the contract; ignored. One finding per file and column, row_number null (the whole
-- file). The headers are read when the model runs (stg_registry__file_columns), not while
-- compiling.

with

file_columns as (

    select * from {{ ref('stg_registry__file_columns') }}

),

findings as (

    select
        file,
        null as row_number,
        null as patient_id,
        'extra_column' as check_name,
        'column "' || column_name || '" is not in the contract; ignored' as detail,
        column_name,
        null as value
    from file_columns
    where not is_contract_column

),

final as (

    select
        {{ finding_columns('findings') }}
    from findings

)

select * from final
