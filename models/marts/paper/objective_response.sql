-- Grain: one row per disease (mM, mRCC and `all` pooling both) and cohort.
-- Objective response rate (unconfirmed BOR CR or PR, as in the paper) with an exact
-- Clopper-Pearson 95% confidence interval.
--
-- Method: the Clopper-Pearson bounds are the p at which the binomial tail probabilities equal
-- alpha/2: lower bound p_L solves P(X >= x | n, p_L) = alpha/2 (0 when x = 0), upper bound p_U
-- solves P(X <= x | n, p_U) = alpha/2 (1 when x = n). Equivalently the beta quantiles
-- Beta(alpha/2; x, n-x+1) and Beta(1-alpha/2; x+1, n-x). Both tails are monotone in p, so each
-- bound is found by grid refinement on [0, 1]: the tail is evaluated at 99 points of the
-- current bracket, the bracket shrinks to the two points either side of alpha/2, and again:
-- 7 stages, unrolled by Jinja into CTEs (portable SQL, no recursive CTE, no statistics
-- function), leave a bracket of 100^-7 = 1e-14 (the double arithmetic of the tail sum is the
-- limit). Binomial probabilities are exp(ln C(n, k) + k ln p + (n - k) ln(1 - p)) with ln k! a
-- running sum of ln over a series of integers taken from the data. tests/test_marts_analyses.py
-- checks the bounds against scipy.stats.beta.ppf.
--
-- Only the outcomes k within a window of half-width w = 10 sqrt(n) + 10 around x are summed
-- (all of them while n is below about 150, as in the paper). That is exact to far below the
-- double arithmetic: by Hoeffding, the binomial mass farther than w/2 from np is at most
-- exp(-w^2 / 2n) <= exp(-50), about 2e-22. So at a grid point with np within w/2 of x the
-- window holds all but that mass of both tails; at a point farther away the tail is 0 or 1
-- to that precision, and the one case where the window would lose the mass that makes it 1
-- (the upper tail of the lower bound with np >= x + w/2, the lower tail of the upper bound
-- with np <= x - w/2) is set to 1. Without the window the cost grew as n squared: 150 s
-- for the 100,000-patient extract (docs/performance.md).
--
-- The bounds are published to 9 decimal places of a percent (round_to_computed_precision):
-- the double arithmetic of the tail sums (ln and exp differ in the last bit between engines)
-- leaves about 1e-11, below that and far below the 1e-7 of tests/test_marts_analyses.py.

{%- set alpha = 0.05 %}
{%- set grid_points = 100 %}
{%- set refinement_stages = 7 %}

with

best_response as (

    select * from {{ ref('best_response') }}

),

groups as (

    select
        disease,
        cohort,
        cast(count(*) as integer) as n,
        cast(sum(case when is_objective_response then 1 else 0 end) as integer) as x
    from best_response
    group by disease, cohort

    union all

    select
        'all' as disease,
        cohort,
        cast(count(*) as integer) as n,
        cast(sum(case when is_objective_response then 1 else 0 end) as integer) as x
    from best_response
    group by cohort

),

-- integers 0..N (N = patients in the mart, at least every group's n)
integers as (

    select 0 as k
    union all
    select row_number() over (order by patient_id) as k
    from best_response

),

-- ln k! as an exact decimal running sum (deterministic_ln_factorial): the same number on
-- every engine and every build. A running sum of doubles is not: DuckDB's and Spark's ln
-- differ in the last bit for about 1% of k and their window sums add in different orders,
-- which moved the 20,000-patient bounds in the 11th digit (docs/spark.md).
log_factorials as (

    select
        k,
        {{ il2_registry.deterministic_ln_factorial('k') }} as ln_factorial
    from integers

),

-- the half-width of the window of outcomes summed (see the method above)
group_windows as (

    select
        disease,
        cohort,
        n,
        x,
        cast(ceil(10 * sqrt(n)) as integer) + 10 as half_width
    from groups

),

-- each group's outcomes k in [x - w, x + w] within 0..n, with ln C(n, k)
group_outcomes as (

    select
        groups.disease,
        groups.cohort,
        groups.n,
        groups.x,
        outcome.k,
        cast(n_fact.ln_factorial - outcome.ln_factorial - rest_fact.ln_factorial as double) as ln_choose
    from group_windows as groups
    inner join log_factorials as outcome
        on outcome.k between groups.x - groups.half_width and groups.x + groups.half_width
            and outcome.k <= groups.n
    inner join log_factorials as n_fact
        on n_fact.k = groups.n
    inner join log_factorials as rest_fact
        on rest_fact.k = groups.n - outcome.k

),

bounds_0 as (

    select
        disease,
        cohort,
        n,
        x,
        half_width,
        'lower' as bound,
        cast(0.0 as double) as p_lo,
        cast(1.0 as double) as p_hi
    from group_windows

    union all

    select
        disease,
        cohort,
        n,
        x,
        half_width,
        'upper' as bound,
        cast(0.0 as double) as p_lo,
        cast(1.0 as double) as p_hi
    from group_windows

),

grid as (

    select generated_number as j
    from ({{ dbt.generate_series(grid_points - 1) }}) as series

),
{% for stage in range(1, refinement_stages + 1) %}
-- stage {{ stage }}: the tail probability at {{ grid_points - 1 }} points inside the current bracket
tails_{{ stage }} as (

    select
        bracket.disease,
        bracket.cohort,
        bracket.n,
        bracket.x,
        bracket.half_width,
        bracket.bound,
        bracket.p_lo,
        bracket.p_hi,
        grid.j,
        bracket.p_lo + (bracket.p_hi - bracket.p_lo) * grid.j / {{ grid_points }} as p,
        case
            when bracket.bound = 'lower'
                and bracket.n * (bracket.p_lo + (bracket.p_hi - bracket.p_lo) * grid.j / {{ grid_points }})
                >= bracket.x + bracket.half_width / 2.0
                then 1.0
            when bracket.bound = 'upper'
                and bracket.n * (bracket.p_lo + (bracket.p_hi - bracket.p_lo) * grid.j / {{ grid_points }})
                <= bracket.x - bracket.half_width / 2.0
                then 1.0
            else sum(
                    case
                        when (bracket.bound = 'lower' and outcome.k >= outcome.x)
                            or (bracket.bound = 'upper' and outcome.k <= outcome.x)
                            then exp(
                                    outcome.ln_choose
                                    + outcome.k * ln(bracket.p_lo + (bracket.p_hi - bracket.p_lo) * grid.j / {{ grid_points }})
                                    + (outcome.n - outcome.k)
                                    * ln(1 - (bracket.p_lo + (bracket.p_hi - bracket.p_lo) * grid.j / {{ grid_points }}))
                                )
                        else 0
                    end
                )
        end as tail_probability
    from bounds_{{ stage - 1 }} as bracket
    cross join grid
    inner join group_outcomes as outcome
        on bracket.disease = outcome.disease
            and bracket.cohort = outcome.cohort
    group by
        bracket.disease,
        bracket.cohort,
        bracket.n,
        bracket.x,
        bracket.half_width,
        bracket.bound,
        bracket.p_lo,
        bracket.p_hi,
        grid.j

),

-- the new bracket: the grid points either side of alpha/2. P(X >= x | p) rises with p (lower
-- bound), P(X <= x | p) falls with p (upper bound).
bounds_{{ stage }} as (

    select
        disease,
        cohort,
        n,
        x,
        half_width,
        bound,
        coalesce(
            max(
                case
                    when (bound = 'lower' and tail_probability < {{ alpha / 2 }})
                        or (bound = 'upper' and tail_probability > {{ alpha / 2 }})
                        then p
                end
            ),
            min(p_lo)
        ) as p_lo,
        coalesce(
            min(
                case
                    when (bound = 'lower' and tail_probability >= {{ alpha / 2 }})
                        or (bound = 'upper' and tail_probability <= {{ alpha / 2 }})
                        then p
                end
            ),
            min(p_hi)
        ) as p_hi
    from tails_{{ stage }}
    group by disease, cohort, n, x, half_width, bound

),
{% endfor %}
ci as (

    select
        disease,
        cohort,
        max(case when bound = 'lower' then (p_lo + p_hi) / 2 end) as p_lower,
        max(case when bound = 'upper' then (p_lo + p_hi) / 2 end) as p_upper
    from bounds_{{ refinement_stages }}
    group by disease, cohort

),

results as (

    select
        groups.disease,
        groups.cohort,
        groups.n as n_patients,
        groups.x as n_responders,
        100.0 * groups.x / groups.n as orr_pct,
        {{ il2_registry.round_to_computed_precision('100.0 * case when groups.x = 0 then 0.0 else ci.p_lower end') }}
            as ci_lower_pct,
        {{ il2_registry.round_to_computed_precision('100.0 * case when groups.x = groups.n then 1.0 else ci.p_upper end') }}
            as ci_upper_pct,
        'Clopper-Pearson exact, {{ ((1 - alpha) * 100) | round(1) }}%' as ci_method
    from groups
    inner join ci
        on groups.disease = ci.disease
            and groups.cohort = ci.cohort

),

final as (

    select
        {{ contract_columns('results') }}
    from results

)

select * from final
