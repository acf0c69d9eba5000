{#- PHI written into free text (docs/data_quality.md, check phi_in_free_text). For the free-text
    columns of one staged file (contract meta free_text), the rows whose cleaned text holds one
    of the extract's own PHI values (stg_registry__phi_values):
    - an MRN of any patient, as a whole token (letters and digits, any case);
    - a birth date of any patient, written ISO (1960-04-12) or US (04/12/1960, 4/12/1960);
    - initials (2 or 3 letters, upper case as written) as a whole token in the patient's own
      rows (in a text no other patient has: 'low BP' of a patient B.P. is vocabulary), or of
      any patient right after a PHI marker word (initials, pt, patient, name, mrn, dob).
    Gives (source_row_number, column_name, phi_kind); stage_registry_file replaces such a value
    by '<redacted>' and reports the kind (never the value) in <column>__phi.
    Tokens are extracted and joined (no regex per PHI value), once per distinct text of a column,
    so the scan is linear in the distinct text.
    The regular expressions are the contract's (source meta phi_patterns, macro
    registry_phi_patterns), the same the publish step's scan reads. -#}
{% macro phi_in_free_text_hits(cleaned_relation, columns, has_patient_id) -%}
    {%- set text_columns = columns | selectattr('free_text') | map(attribute='name') | list -%}
    {#- the regexes: the contract's phi_patterns (read only when there is text to scan) -#}
    {%- set patterns = il2_registry.registry_phi_patterns() if text_columns else {} -%}
    {%- set phi_values = ref('stg_registry__phi_values') -%}
    select distinct source_row_number, column_name, phi_kind
    from (
        {%- for name in text_columns %}
        {% set texts = '(select distinct ' ~ name ~ '__text as text from ' ~ cleaned_relation ~ ' where ' ~ name ~ '__text is not null)' %}
        {# Free text repeats (a few dozen distinct stop reasons among millions of cycles): each
            distinct text is scanned once and its kinds of PHI joined back to its rows, instead of
            every row's text being scanned (docs/performance.md). #}
        select
            rows.source_row_number,
            '{{ name }}' as column_name,
            text_hits.phi_kind
        from {{ cleaned_relation }} as rows
        inner join (
            select tokens.text, 'mrn' as phi_kind
            from (
                select text, {{ il2_registry.unnest_regex_matches('upper(text)', patterns.mrn_token) }} as token
                from {{ texts }} as texts
            ) as tokens
            inner join (select distinct mrn from {{ phi_values }}) as phi on tokens.token = phi.mrn

            union all

            select tokens.text, 'birth_date'
            from (
                select text, {{ il2_registry.parse_date('token') }} as token_date
                from (
                    select text, {{ il2_registry.unnest_regex_matches('text', patterns.date_token) }} as token
                    from {{ texts }} as texts
                ) as date_tokens
            ) as tokens
            inner join (select distinct birth_date from {{ phi_values }}) as phi on tokens.token_date = phi.birth_date

            union all

            select tokens.text, 'initials'
            from (
                select text, {{ il2_registry.unnest_regex_matches('upper(text)', patterns.marked_initials, 1) }} as token
                from {{ texts }} as texts
            ) as tokens
            inner join (select distinct initials from {{ phi_values }}) as phi on tokens.token = phi.initials
        ) as text_hits
            on rows.{{ name }}__text = text_hits.text
        {%- if has_patient_id %}

        union all

        -- the patient's own initials: the texts holding a token that is anyone's initials
        -- (few), then the rows of those texts whose patient has them
        select
            rows.source_row_number,
            '{{ name }}',
            'initials'
        from {{ cleaned_relation }} as rows
        inner join (
            select distinct tokens.text, tokens.token
            from (
                select text, {{ il2_registry.unnest_regex_matches('text', patterns.own_initials_token) }} as token
                from {{ texts }} as texts
            ) as tokens
            inner join (select distinct initials from {{ phi_values }}) as phi on tokens.token = phi.initials
        ) as candidates
            on rows.{{ name }}__text = candidates.text
        inner join {{ phi_values }} as phi
            on upper(rows.patient_id__text) = phi.patient_id and candidates.token = phi.initials
        where upper(rows.{{ name }}__text) in (
            -- a text written for one patient only: one shared by several patients ('low BP')
            -- is vocabulary, not the initials of the one whose initials it happens to hold.
            -- One patient: the smallest and largest patient are the same (nulls aside), which
            -- is count(distinct) = 1 without its hash table.
            select upper({{ name }}__text) from {{ cleaned_relation }}
            group by 1
            having min(upper(patient_id__text)) = max(upper(patient_id__text))
        )
        {%- endif %}
        {% if not loop.last %}union all {% endif %}
        {%- endfor %}
    ) as hits
{%- endmacro %}


{#- One row per match of a regular expression in the text (the whole match, or capture group
    `group`), as a select-list expression. DuckDB: unnest(regexp_extract_all). Spark: explode,
    with the group always given (Spark's default is group 1, DuckDB's 0) and backslashes
    doubled (Spark unescapes them in string literals). `pattern` is the regex itself. -#}
{% macro unnest_regex_matches(expression, pattern, group=0) -%}
    {{ return(adapter.dispatch('unnest_regex_matches', 'il2_registry')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__unnest_regex_matches(expression, pattern, group=0) -%}
    unnest(regexp_extract_all({{ expression }}, '{{ pattern }}', {{ group }}))
{%- endmacro %}

{% macro spark__unnest_regex_matches(expression, pattern, group=0) -%}
    explode(regexp_extract_all({{ expression }}, '{{ pattern | replace('\\', '\\\\') }}', {{ group }}))
{%- endmacro %}
