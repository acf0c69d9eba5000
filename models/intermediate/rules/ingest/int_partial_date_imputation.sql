-- Grain: one row per example text (value_text).
-- Rule "partial date imputation" (DATA_DICTIONARY "Dates", ADaM convention), the macro
-- impute_partial_date that staging applies to every partial-date column of the contract,
-- shown on the documented examples of seeds/partial_date_examples.csv, so the rule has a
-- model of its own and unit tests beside it (int_partial_date_imputation.yml):
-- YYYY-MM-DD or MM/DD/YYYY -> that date, no flag; YYYY-MM -> the 15th, flag D; YYYY -> July
-- 1st, flag M; anything else -> null date and flag (staging reports it as invalid_date).

with

examples as (

    select * from {{ ref('partial_date_examples') }}

),

final as (

    select
        value_text,
        {{ impute_partial_date('value_text', 'date') }} as imputed_date,
        {{ impute_partial_date('value_text', 'flag') }} as imputation
    from examples

)

select * from final
