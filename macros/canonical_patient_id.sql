{#- The one canonical form of a patient id, used by every file's staging (kind patient_id in
    the contract): the cleaned text (na_to_null has trimmed it) upper-cased, so `s002-0001`
    in one file and `S002-0001` in another are the same patient; null unless it then reads
    S###-#### (the staging reports that as invalid_patient_id, which rejects the row). -#}
{% macro canonical_patient_id(text) -%}
    case
        when {{ il2_registry.matches_pattern('upper(' ~ text ~ ')', 'S[0-9]{3}-[0-9]{4}') }}
            then upper({{ text }})
    end
{%- endmacro %}
