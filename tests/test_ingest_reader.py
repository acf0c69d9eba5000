"""The extract reader of the sources (models/staging/_registry__sources.yml) under stress.

Every raw row carries its data-row number (`with ordinality`): header excluded, counted from
1, quoted newlines not counted. The number must be right when DuckDB reads a large file (the
sources read with parallel = false, which null_padding needs beside quoted newlines; the
connection still has several threads), with a BOM, CRLF line endings and quoted newlines,
commas and quotes.
"""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

import duckdb
import jinja2
import pytest
import yaml

from il2_registry.extract_reader import csv_read_expression, parallel_read_is_safe

SOURCES_YAML = Path(__file__).resolve().parents[1] / "models" / "staging" / "_registry__sources.yml"


def source_reader_sql(extract_dir: Path, name: str) -> str:
    """The relation text dbt renders for a registry source (external_location, var filled in)."""
    sources = yaml.safe_load(SOURCES_YAML.read_text())["sources"]
    (registry,) = [s for s in sources if s["name"] == "registry"]
    template = registry["meta"]["external_location"]
    # dbt renders the Jinja (the escaped extract_dir literal), then dbt-duckdb formats {name}.
    location = jinja2.Template(template).render(var=lambda _name: str(extract_dir))
    return location.format(name=name)


def write_stress_file(path: Path, rows: int, seed: int = 3) -> list[str]:
    """A CSV whose `id` column is its data-row number; some rows hold quoted newlines."""
    rng = random.Random(seed)
    ids = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["note", "id", "other"])
        for number in range(1, rows + 1):
            note = 'line one\r\nline "two", with comma' if rng.random() < 0.02 else "plain"
            writer.writerow([note, str(number), f"x{number}"])
            ids.append(str(number))
    return ids


def test_source_reader_numbers_rows_exactly_under_parallel_reading(tmp_path: Path) -> None:
    rows = 400_000  # several DuckDB CSV buffers, so the scan is split between threads
    write_stress_file(tmp_path / "stress.csv", rows)
    with duckdb.connect() as con:
        con.execute("set threads = 4")
        reader = source_reader_sql(tmp_path, "stress")
        count, wrong, first, last = con.execute(
            f"select count(*), count(*) filter (where cast(id as bigint) <> ordinality), "
            f"min(ordinality), max(ordinality) from (select * from {reader})"
        ).fetchone()
        header = [
            name
            for (name,) in con.execute(
                f"select column_name from (describe select * from {reader})"
            ).fetchall()
        ]
    assert (count, wrong, first, last) == (rows, 0, 1, rows)
    assert header == ["note", "id", "other", "ordinality"]  # BOM stripped from the first name


def test_row_numbers_survive_filters_and_joins(tmp_path: Path) -> None:
    write_stress_file(tmp_path / "stress.csv", 50_000)
    with duckdb.connect() as con:
        con.execute("set threads = 4")
        reader = source_reader_sql(tmp_path, "stress")
        wrong = con.execute(
            f"select count(*) from (select * from {reader}) where note <> 'plain' "
            "and cast(id as bigint) <> ordinality"
        ).fetchone()[0]
    assert wrong == 0


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("b,a\n2,1\n")
    with duckdb.connect() as con:
        row = con.execute(f"select a, b, ordinality from {source_reader_sql(tmp_path, 'a')}").fetchone()
    assert row == ("1", "2", 1)


def write_file_without_quoted_newlines(path: Path, rows: int, seed: int = 5) -> None:
    """Quoted commas and quotes, a BOM, CRLF mixed with LF and a few short records (padded by
    the reader, rejected as malformed_row by staging), but no quoted newline."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("note,id,other\r\n")
        for number in range(1, rows + 1):
            roll = rng.random()
            ending = "\n" if number % 7 == 0 else "\r\n"
            if roll < 0.01:
                handle.write(f'"short, one",{number}{ending}')  # a field missing
            elif roll < 0.05:
                handle.write(f'"a ""quoted"", comma",{number},x{number}{ending}')
            else:
                handle.write(f"plain,{number},x{number}{ending}")


def read_all(path: Path, parallel: bool | None) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute("set threads = 4")
        reader = csv_read_expression(path, parallel=parallel)
        return con.execute(f"select * from {reader} with ordinality order by ordinality").fetchall()


def test_parallel_reader_reads_what_the_single_threaded_one_reads(tmp_path: Path) -> None:
    # 300,000 records span several CSV buffers, so the parallel scan is split between threads.
    path = tmp_path / "doses.csv"
    write_file_without_quoted_newlines(path, 300_000)
    assert parallel_read_is_safe(path)
    serial, parallel = read_all(path, parallel=False), read_all(path, parallel=True)
    assert len(serial) == 300_000
    assert parallel == serial
    # The short records are padded with null in both (rows 1-based; id is the row number).
    assert [row[3] for row in serial if row[2] is None] == [int(row[1]) for row in serial if row[2] is None]
    assert csv_read_expression(path).endswith("parallel = true)")


def test_file_with_a_quoted_newline_is_read_single_threaded(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    write_stress_file(path, 20_000)  # 2 % of the notes hold a quoted CRLF
    assert not parallel_read_is_safe(path)
    assert csv_read_expression(path).endswith("parallel = false)")
    # The parallel scanner refuses the file outright (it never reads it differently), which is
    # why the choice is made before the build reads it.
    with pytest.raises(duckdb.Error, match="quoted new lines"):
        read_all(path, parallel=True)
    assert len(read_all(path, parallel=None)) == 20_000


def test_parallel_choice_follows_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    write_file_without_quoted_newlines(path, 20_000)
    assert parallel_read_is_safe(path)
    write_stress_file(path, 20_000)  # re-exported with quoted newlines: asked again, not cached
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert not parallel_read_is_safe(path)
