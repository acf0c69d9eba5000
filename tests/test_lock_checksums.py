"""The lock archive's table checksums (il2_registry.locks.table_checksums): equal for equal
rows in any order, different for a changed value or a renamed column, and compared only under
the algorithm they were computed with."""

from __future__ import annotations

from pathlib import Path

import duckdb

from il2_registry.locks import archived_checksums, checksum_algorithm, table_checksums


def warehouse(path: Path, rows: list[tuple[str, int]], value_column: str = "months") -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table marts.survival (patient_id varchar, {value_column} integer)")
    con.executemany("insert into marts.survival values (?, ?)", rows)
    con.close()
    return path


ROWS = [("S001-0001", 12), ("S001-0002", 30), ("S002-0001", 7)]


def test_the_same_rows_in_another_order_give_the_same_checksum(tmp_path: Path) -> None:
    first = table_checksums(warehouse(tmp_path / "a.duckdb", ROWS))
    second = table_checksums(warehouse(tmp_path / "b.duckdb", list(reversed(ROWS))))
    assert first == second
    assert first["marts.survival"][0] == 3  # the row count


def test_a_changed_value_or_a_renamed_column_changes_the_checksum(tmp_path: Path) -> None:
    base = table_checksums(warehouse(tmp_path / "a.duckdb", ROWS))
    changed = table_checksums(warehouse(tmp_path / "b.duckdb", [*ROWS[:2], ("S002-0001", 8)]))
    renamed = table_checksums(warehouse(tmp_path / "c.duckdb", ROWS, value_column="os_months"))
    assert base["marts.survival"][1] != changed["marts.survival"][1]
    # same values, another column name: only the shape part differs
    assert base["marts.survival"][:2] == renamed["marts.survival"][:2]
    assert base["marts.survival"] != renamed["marts.survival"]


def test_checksums_of_another_algorithm_are_recomputed_from_the_lock_file(tmp_path: Path) -> None:
    lock = warehouse(tmp_path / "lock.duckdb", ROWS)
    current = table_checksums(lock)
    same = {"checksum_algorithm": checksum_algorithm(), "checksums": {"marts.survival": [0, 0, 0]}}
    # under the current name the catalogue is trusted as written (here deliberately wrong)
    assert archived_checksums(same, lock) == {"marts.survival": [0, 0, 0]}
    older = {"checksum_algorithm": "md5 of to_json", "checksums": {"marts.survival": [3, 1]}}
    assert archived_checksums(older, lock) == current
    assert archived_checksums({"checksums": {"marts.survival": [3, 1]}}, lock) == current
