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

{#- ln k! (k a whole number >= 0, ordered by `k`) as a running sum of exact decimals: ln k
    taken to 10 decimal places, then summed exactly, so the result does not depend on the
    order a window sum adds in, nor on the last bit of an engine's ln (a 1-ulp difference,
    about 2e-15, changes the 10-place value only when ln k lies that close to a rounding
    boundary). decimal(20, 10), not exact_decimal's decimal(38, 10): Spark sums it to
    decimal(30, 10), so a difference of two sums stays at 10 places (of two decimal(38, 10)
    Spark keeps 9, DuckDB 10). -#}
{% macro deterministic_ln_factorial(k) -%}
    sum(cast(ln(case when {{ k }} > 1 then {{ k }} else 1 end) as decimal(20, 10)))
        over (order by {{ k }} rows between unbounded preceding and current row)
{%- endmacro %}

{#- A double computed to about 1e-11 (iterative brackets, sums of exp and ln) published to
    9 decimal places, so that the engines' last-bit differences do not show. -#}
{% macro round_to_computed_precision(value, places=9) -%}
    cast(round(cast({{ value }} as double), {{ places }}) as double)
{%- endmacro %}
