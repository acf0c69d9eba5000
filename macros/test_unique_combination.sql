{#- Generic test: the combination of columns is unique (the grain of a multi-column model).
    Fails with one row per duplicated combination. -#}
{% test unique_combination(model, combination_of_columns) %}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Generic test: every combination of `columns` in the model exists in `to` (a
    multi-column relationships test, e.g. a stopping toxicity's cycle). -#}
{% test relationships_combination(model, to, columns) %}
    select child.*
    from {{ model }} as child
    where not exists (
        select 1
        from {{ to }} as parent
        where
            {% for column in columns -%}
            parent.{{ column }} = child.{{ column }}{% if not loop.last %} and {% endif %}
            {%- endfor %}
    )
{% endtest %}
