-- Grain: one row per patient in the analysis (patient_id).
-- Rule "initial response": the overall response of the first assessment after day 1 (an
-- assessment on day 1 is baseline). The first visit counts whatever follows it (even a
-- subsequent therapy started before it: the dictionary sets no other bound), up to the data
-- cut-off. No assessment after day 1: `NE` with a null date, like the BOR.

with

population as (

    select * from {{ ref('int_analysis_population') }}

),

response_assessments as (

    select * from {{ ref('int_response_assessments') }}

),

first_visits as (

    select
        patient_id,
        assessment_date,
        overall_response
    from response_assessments
    where visit_seq = 1

),

final as (

    select
        population.patient_id,
        coalesce(first_visits.overall_response, 'NE') as initial_response,
        first_visits.assessment_date as initial_response_date
    from population
    left join first_visits
        on population.patient_id = first_visits.patient_id

)

select * from final
