-- Grain: one row per patient in the analysis (patient_id).
-- Rule "confirmed best overall response" (RECIST 1.1), over the same visits as the BOR
-- (int_response_assessments.is_in_bor_window), with the dbt vars confirmation_min_days (28),
-- sd_min_days (42) and max_ne_between (1):
-- - CR when a CR is followed by another CR at least confirmation_min_days later, with only CR or
--   NE visits between them and at most max_ne_between NE;
-- - else PR when a PR or CR is followed by a PR or CR at least confirmation_min_days later, with
--   only CR, PR or NE between them (at most max_ne_between NE), and no PR after a CR among the
--   two and the visits between them;
-- - else SD when any CR, PR or SD visit is at least sd_min_days after day 1;
-- - else PD when there is a PD; else NE.
-- Pairs are checked with running counts over the visit order, so a patient's cost grows with
-- the square of its visits, not the cube. has_cr_followed_by_pr flags the data issue the
-- dictionary asks to report (a PR visit after a CR visit in the window).

{%- set confirmation_min_days = var('confirmation_min_days') | int %}
{%- set sd_min_days = var('sd_min_days') | int %}
{%- set max_ne_between = var('max_ne_between') | int %}

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

window_visits as (

    select
        patient_id,
        assessment_date,
        overall_response,
        visit_seq,
        days_from_day1,
        case when overall_response not in ('CR', 'NE') then 1 else 0 end as is_not_cr_ne,
        case when overall_response = 'NE' then 1 else 0 end as is_ne,
        case when overall_response not in ('CR', 'PR', 'NE') then 1 else 0 end as is_not_cr_pr_ne
    from response_assessments
    where is_in_bor_window

),

running_counts as (

    select
        *,
        -- counts over the visits strictly before this one
        coalesce(sum(is_not_cr_ne) over patient_order_before, 0) as n_not_cr_ne_before,
        coalesce(sum(is_ne) over patient_order_before, 0) as n_ne_before,
        coalesce(sum(is_not_cr_pr_ne) over patient_order_before, 0) as n_not_cr_pr_ne_before,
        max(case when overall_response = 'CR' then visit_seq end) over patient_order_before as last_cr_seq_before
    from window_visits
    window patient_order_before as (
        partition by patient_id order by visit_seq rows between unbounded preceding and 1 preceding
    )

),

pr_after_cr as (

    select
        *,
        -- the latest CR that some PR up to this visit follows: a PR after a CR lies within
        -- visits [a, b] exactly when this value at b is >= a's visit_seq
        max(case when overall_response = 'PR' then last_cr_seq_before end) over (
            partition by patient_id order by visit_seq rows between unbounded preceding and current row
        ) as latest_cr_followed_by_pr_seq
    from running_counts

),

confirming_pairs as (

    select
        first_visit.patient_id,
        first_visit.overall_response as first_response,
        second_visit.overall_response as second_response,
        second_visit.n_not_cr_ne_before - first_visit.n_not_cr_ne_before - first_visit.is_not_cr_ne
            as n_not_cr_ne_between,
        second_visit.n_ne_before - first_visit.n_ne_before - first_visit.is_ne as n_ne_between,
        second_visit.n_not_cr_pr_ne_before - first_visit.n_not_cr_pr_ne_before - first_visit.is_not_cr_pr_ne
            as n_not_cr_pr_ne_between,
        coalesce(second_visit.latest_cr_followed_by_pr_seq >= first_visit.visit_seq, false)
            as has_pr_after_cr
    from pr_after_cr as first_visit
    inner join pr_after_cr as second_visit
        on first_visit.patient_id = second_visit.patient_id
            and first_visit.visit_seq < second_visit.visit_seq
    where first_visit.overall_response in ('CR', 'PR')
        and second_visit.overall_response in ('CR', 'PR')
        and {{ dbt.datediff('first_visit.assessment_date', 'second_visit.assessment_date', 'day') }}
        >= {{ confirmation_min_days }}

),

confirmations as (

    select
        patient_id,
        max(
            case
                when first_response = 'CR' and second_response = 'CR'
                    and n_not_cr_ne_between = 0 and n_ne_between <= {{ max_ne_between }}
                    then 1
                else 0
            end
        ) as has_confirmed_cr,
        max(
            case
                when n_not_cr_pr_ne_between = 0 and n_ne_between <= {{ max_ne_between }}
                    and not has_pr_after_cr
                    then 1
                else 0
            end
        ) as has_confirmed_pr
    from confirming_pairs
    group by patient_id

),

visit_summary as (

    select
        patient_id,
        max(
            case
                when overall_response in ('CR', 'PR', 'SD') and days_from_day1 >= {{ sd_min_days }} then 1
                else 0
            end
        ) as has_sd_long_enough,
        max(case when overall_response = 'PD' then 1 else 0 end) as has_pd,
        max(case when latest_cr_followed_by_pr_seq is not null then 1 else 0 end) as has_cr_followed_by_pr
    from pr_after_cr
    group by patient_id

),

final as (

    select
        population.patient_id,
        case
            when confirmations.has_confirmed_cr = 1 then 'CR'
            when confirmations.has_confirmed_pr = 1 then 'PR'
            when visit_summary.has_sd_long_enough = 1 then 'SD'
            when visit_summary.has_pd = 1 then 'PD'
            else 'NE'
        end as confirmed_best_overall_response,
        coalesce(visit_summary.has_cr_followed_by_pr = 1, false) as has_cr_followed_by_pr
    from population
    left join confirmations
        on population.patient_id = confirmations.patient_id
    left join visit_summary
        on population.patient_id = visit_summary.patient_id

)

select * from final
