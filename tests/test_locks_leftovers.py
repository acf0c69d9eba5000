"""The lock archive after a killed publication: its half-written copy is removed by the next one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb

from il2_registry.locks import archive_published


def test_a_killed_archive_copy_is_removed_by_the_next_publication(tmp_path: Path) -> None:
    published = tmp_path / "wh" / "il2_registry.duckdb"
    published.parent.mkdir()
    with duckdb.connect(str(published)) as con:
        con.execute("create schema core")
        con.execute(
            "create table core.dim_extract as select 'A' as extract_id, "
            "date '2018-03-31' as data_cutoff_date, null::varchar as extract_dir"
        )
    locks = published.parent / "locks"
    locks.mkdir()
    (locks / ".A.duckdb.12345").write_bytes(b"half a copy")  # what a SIGKILL during the copy leaves
    outcome = archive_published(published, {})
    assert outcome.new
    assert sorted(p.name for p in locks.iterdir()) == ["A.duckdb", "catalogue.json"]
    assert stat.S_IMODE(os.stat(locks / "A.duckdb").st_mode) == 0o444
