"""The fingerprint's canonical rendering and its order independence."""

from __future__ import annotations

import datetime as dt
import decimal

import duckdb

from il2_registry.fingerprint import canonical_value, compare, duckdb_fingerprints, fingerprint_rows


def test_canonical_values_are_engine_neutral():
    assert canonical_value(None) is None
    assert canonical_value(True) == "true"
    assert canonical_value(0.1 + 0.2) == "0.3"  # last bits of a double do not count
    assert canonical_value(decimal.Decimal("1.50")) == "1.5"
    assert canonical_value(-0.0) == "0"
    assert canonical_value(dt.datetime(2018, 3, 31, 14, 5, 7, 999)) == "2018-03-31T14:05:07"
    assert canonical_value(dt.date(2018, 3, 31)) == "2018-03-31"
    assert canonical_value(12345678901234) == "12345678901234"


def test_row_order_does_not_count_but_values_do():
    columns = ["a", "b"]
    one, n = fingerprint_rows(columns, [(1, "x"), (2, None)])
    assert n == 2
    assert fingerprint_rows(columns, [(2, None), (1, "x")])[0] == one
    assert fingerprint_rows(columns, [(2, ""), (1, "x")])[0] != one  # null is not the empty string
    assert fingerprint_rows(["a", "c"], [(1, "x"), (2, None)])[0] != one


def test_duckdb_file_fingerprints(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create schema marts; create table marts.t as select * from (values (1, 'a'), (2, 'b')) v(x, y)"
    )
    con.close()
    before = duckdb_fingerprints(str(path))
    assert set(before) == {"marts.t"} and before["marts.t"]["rows"] == 2
    con = duckdb.connect(str(path))
    con.execute("update marts.t set y = 'c' where x = 2")
    con.close()
    assert compare(before, duckdb_fingerprints(str(path))) == ["marts.t: differs (rows 2 -> 2)"]
