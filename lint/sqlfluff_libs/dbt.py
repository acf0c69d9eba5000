"""Stand-ins for dbt's cross-database macros (dbt.type_string() ...) so that sqlfluff's jinja
templater renders the models to plain SQL: each returns what the DuckDB adapter writes."""


def type_string():
    return "varchar"


def type_bigint():
    return "bigint"


def type_int():
    return "integer"


def type_float():
    return "double"


def datediff(first, second, part):
    return f"date_diff('{part}', {first}, {second})"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"


def split_part(string_text, delimiter_text, part_number):
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def safe_cast(field, type_):
    return f"try_cast({field} as {type_})"


def generate_series(upper_bound):
    return f"select generate_series as generated_number from generate_series(1, {upper_bound})"


def concat(fields):
    return " || ".join(fields)
