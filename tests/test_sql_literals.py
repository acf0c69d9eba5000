"""The package's SQL literals name exactly the text they are given, quotes and all."""

import duckdb
import pytest

from il2_registry.sql_literals import quote_identifier, sql_string

AWKWARD = ["plain", "it's", "''", 'say "hi"', "a'b\"c", "", "/tmp/o'brien/il2 registry.duckdb"]


@pytest.mark.parametrize("text", AWKWARD)
def test_a_string_literal_reads_back_as_the_same_text(text: str) -> None:
    (value,) = duckdb.sql(f"select {sql_string(text)}").fetchone()
    assert value == text


@pytest.mark.parametrize("name", [n for n in AWKWARD if n])
def test_a_quoted_identifier_names_the_column_it_was_given(name: str) -> None:
    con = duckdb.connect()
    con.execute(f"create table t ({quote_identifier(name)} integer)")
    assert [c[0] for c in con.execute("describe t").fetchall()] == [name]
    con.execute("insert into t values (7)")
    assert con.execute(f"select {quote_identifier(name)} from t").fetchone() == (7,)
