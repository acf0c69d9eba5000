-- Every rejected row of every file has at least one audit.rejected_rows entry (nothing lost silently).
{% for file_name, model in registry_checked_files() %}
select '{{ file_name }}' as file, checked.source_row_number
from {{ ref(model) }} as checked
where
    checked.row_status = 'rejected'
    and not exists (
        select 1
        from {{ ref('rejected_rows') }} as rejected
        where rejected.file = '{{ file_name }}' and rejected.row_number = checked.source_row_number
    )
{% if not loop.last %}union all{% endif %}
{% endfor %}
