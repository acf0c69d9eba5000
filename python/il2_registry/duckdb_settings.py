"""DuckDB settings of the build connection: a memory cap derived from the machine, spilling
into the build folder, and no insertion-order bookkeeping (docs/performance.md).

The dbt plugin (`dbt_plugin.py`) passes these to `duckdb.connect` before dbt opens the build
file. Precedence for the memory cap: a profile `settings: {memory_limit: ...}` (applied by
dbt-duckdb on every cursor, after these), then `$IL2_DUCKDB_MEMORY_LIMIT` (e.g. `6GB`), then
the default below. Order of rows never matters to a model here: every model that needs an
order says so with `order by` / window ordering, and the fingerprints sort the rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

MEMORY_LIMIT_ENV = "IL2_DUCKDB_MEMORY_LIMIT"
GIB = 1 << 30
# A quarter of the machine, within [1 GiB, 3 GiB]: the whole dbt process (Python, dbt, lifelines
# and DuckDB) then stays under 4 GB, and on a shared machine other work keeps its memory.
DEFAULT_FRACTION = 0.25
DEFAULT_FLOOR_BYTES = 1 * GIB
DEFAULT_CEILING_BYTES = 3 * GIB
SPILL_FOLDER_NAME = "duckdb_spill"


def physical_memory_bytes() -> int:
    """Physical memory of the machine (0 when the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0


def default_memory_limit(total_bytes: int) -> str:
    """The memory cap for a machine with `total_bytes` of RAM, as a DuckDB size ('3072MB')."""
    wanted = int(total_bytes * DEFAULT_FRACTION) if total_bytes > 0 else DEFAULT_CEILING_BYTES
    capped = min(max(wanted, DEFAULT_FLOOR_BYTES), DEFAULT_CEILING_BYTES)
    return f"{capped // (1 << 20)}MB"


def memory_limit(total_bytes: int, environ: Mapping[str, str]) -> str:
    """The cap every DuckDB connection of a build gets: `$IL2_DUCKDB_MEMORY_LIMIT`, else the
    machine's default."""
    return environ.get(MEMORY_LIMIT_ENV) or default_memory_limit(total_bytes)


def spill_folder(build_file: Path) -> Path:
    """Where DuckDB spills what does not fit under the cap: beside the build file (not /tmp)."""
    return build_file.parent / SPILL_FOLDER_NAME


def build_connection_settings(
    build_file: Path, total_bytes: int, environ: Mapping[str, str]
) -> dict[str, str]:
    """The DuckDB config for the build connection."""
    return {
        "memory_limit": memory_limit(total_bytes, environ),
        "temp_directory": str(spill_folder(build_file)),
        "preserve_insertion_order": "false",
    }


def scratch_connection_settings(
    spill: Path | None, total_bytes: int, environ: Mapping[str, str]
) -> dict[str, str]:
    """The DuckDB config for the publish step's own in-memory connections: the build's memory
    cap (they run one at a time, after the build connection has given its memory back: the
    on-run-end hook lowers its cap first), spilling into `spill` when given."""
    settings = {"memory_limit": memory_limit(total_bytes, environ)}
    if spill is not None:
        settings["temp_directory"] = str(spill)
    return settings
