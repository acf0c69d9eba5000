{#- Mean and sample SD that do not depend on the order rows are aggregated in.

    avg() and stddev_samp() over doubles accumulate in floating point, and a parallel engine
    merges partial states in any order, so their last bits can differ between two builds of one
    extract (a published table must be identical build after build, docs/refresh.md). Here the
    sums are exact (decimals), and only the final arithmetic is done in double:
      mean = sum(x) / n,  sd = sqrt((sum(x^2) - sum(x)^2 / n) / (n - 1)).
    Values are taken to 10 decimal places (far below any published precision). -#}
{% macro exact_decimal(value) -%}
    cast({{ value }} as decimal(38, 10))
{%- endmacro %}

{#- x * x exactly on every engine: decimal(18, 10) times itself is decimal(37, 20) on Spark
    and DuckDB alike (decimal(38, 10) squared exceeds 38 digits: Spark rounds it to 6
    decimal places, DuckDB would not), so the sum of squares is the same exact number on
    both. Values up to 10^8 (doses in IU/kg, months, ages). -#}
{% macro exact_square(value) -%}
    (cast({{ value }} as decimal(18, 10)) * cast({{ value }} as decimal(18, 10)))
{%- endmacro %}

{% macro deterministic_mean(value) -%}
    cast(sum({{ il2_registry.exact_decimal(value) }}) as double) / nullif(count({{ value }}), 0)
{%- endmacro %}

{% macro deterministic_stddev_samp(value) -%}
    case
        when count({{ value }}) > 1 then sqrt(greatest(
            (
                cast(sum({{ il2_registry.exact_square(value) }}) as double)
                - cast(sum({{ il2_registry.exact_decimal(value) }}) as double)
                * cast(sum({{ il2_registry.exact_decimal(value) }}) as double)
                / count({{ value }})
            ) / (count({{ value }}) - 1),
            0
        ))
    end
{%- endmacro %}
