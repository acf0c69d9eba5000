with cycles as (
    select * from {{ ref('int_il2_cycles_checked') }} where row_status = 'used'
),

mapped as (
    select * from {{ ref('int_ae_terms_mapped') }}
),

terms as (
    select * from {{ ref('dim_ae_term') }}
),

positions as (
    {% for position in [1, 2, 3] -%}
    select
        patient_id,
        course_number,
        cycle_in_course,
        {{ position }} as toxicity_position,
        stop_toxicity_{{ position }} as toxicity_verbatim,
        source_row_number
    from cycles
    where stop_toxicity_{{ position }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        positions.patient_id,
        positions.course_number,
        positions.cycle_in_course,
        positions.toxicity_position,
        positions.toxicity_verbatim,
        mapped.preferred_term,
        terms.category,
        terms.is_immune_related as is_immune_related_term,
        positions.source_row_number
    from positions
    inner join mapped on {{ normalise_verbatim('positions.toxicity_verbatim') }} = mapped.verbatim_normalised
    inner join terms on mapped.preferred_term = terms.preferred_term
)

select * from final
