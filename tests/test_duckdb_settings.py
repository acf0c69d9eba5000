"""The build connection's DuckDB settings (il2_registry.duckdb_settings): the memory cap
derived from the machine, its override, and spilling into the build folder."""

from __future__ import annotations

from pathlib import Path

from il2_registry.duckdb_settings import (
    MEMORY_LIMIT_ENV,
    build_connection_settings,
    default_memory_limit,
    scratch_connection_settings,
)

GIB = 1 << 30


def test_default_memory_limit_is_a_quarter_of_the_machine_within_one_to_three_gib() -> None:
    # 8 GiB / 4 = 2 GiB = 2048 MB; 24 GiB / 4 = 6 GiB, capped at 3 GiB = 3072 MB;
    # 2 GiB / 4 = 512 MiB, raised to the 1 GiB floor = 1024 MB.
    assert default_memory_limit(8 * GIB) == "2048MB"
    assert default_memory_limit(24 * GIB) == "3072MB"
    assert default_memory_limit(2 * GIB) == "1024MB"
    # A platform that cannot tell its memory gets the ceiling.
    assert default_memory_limit(0) == "3072MB"


def test_settings_spill_into_the_build_folder_and_honour_the_environment(tmp_path: Path) -> None:
    build = tmp_path / ".build" / "il2_registry.duckdb"
    settings = build_connection_settings(build, 8 * GIB, {})
    assert settings == {
        "memory_limit": "2048MB",
        "temp_directory": str(tmp_path / ".build" / "duckdb_spill"),
        "preserve_insertion_order": "false",
    }
    assert build_connection_settings(build, 8 * GIB, {MEMORY_LIMIT_ENV: "6GB"})["memory_limit"] == "6GB"


def test_publish_connections_take_the_build_cap_and_spill_where_told(tmp_path: Path) -> None:
    # The publish step's in-memory connections: the same cap as the build (8 GiB / 4 = 2048 MB;
    # the environment wins), spilling into the folder given, and no temp_directory otherwise
    # (DuckDB's default would be the working directory, so publish always passes one).
    assert scratch_connection_settings(tmp_path / "spill", 8 * GIB, {}) == {
        "memory_limit": "2048MB",
        "temp_directory": str(tmp_path / "spill"),
    }
    assert scratch_connection_settings(None, 8 * GIB, {MEMORY_LIMIT_ENV: "6GB"}) == {"memory_limit": "6GB"}
