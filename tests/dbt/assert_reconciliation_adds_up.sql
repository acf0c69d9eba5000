-- Every extract file: rows in the file = used + superseded + rejected (DATA_DICTIONARY "Bad rows").
select *
from {{ ref('reconciliation') }}
where rows_in_file <> rows_used + rows_superseded + rows_rejected
