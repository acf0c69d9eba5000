{#- string_agg in a given order: listagg(measure, delimiter) ordered by order_columns (a list of
    expressions, ascending). dbt-spark's listagg drops the order by (Spark's collect_list has
    none), which would make the text depend on how rows were shuffled; on Spark the values are
    sorted by (order columns..., measure) with array_sort of structs instead. Null measures are
    left out on both engines. -#}
{% macro ordered_listagg(measure, delimiter, order_columns) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'il2_registry')(measure, delimiter, order_columns)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter, order_columns) -%}
    {{ dbt.listagg(measure, delimiter, 'order by ' ~ order_columns | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter, order_columns) -%}
    array_join(transform(array_sort(collect_list(named_struct(
        {%- for column in order_columns %}'k{{ loop.index }}', {{ column }}, {% endfor -%}
        'v', {{ measure }}))), s -> s.v), {{ delimiter }})
{%- endmacro %}
