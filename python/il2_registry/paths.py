"""Where things live: the project root, the published warehouse, the sample extract."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WAREHOUSE_RELATIVE = Path("warehouse") / "il2_registry.duckdb"


def project_root() -> Path:
    """The project root: $IL2_PROJECT_ROOT, else the checkout this package sits in, else cwd."""
    env = os.environ.get("IL2_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    return Path.cwd().resolve()


def warehouse_path() -> Path:
    """The published warehouse: $IL2_WAREHOUSE, else warehouse/il2_registry.duckdb under the root."""
    env = os.environ.get("IL2_WAREHOUSE")
    if env:
        # Relative to the project root, as profiles.yml reads it (not to the caller's cwd).
        return (project_root() / env).resolve()
    return project_root() / DEFAULT_WAREHOUSE_RELATIVE


def default_extract_dir() -> Path:
    return project_root() / "data" / "extract"


def locks_dir(warehouse: Path | None = None) -> Path:
    """The lock archive: `locks/` beside the published warehouse (docs/refresh.md)."""
    return (warehouse or warehouse_path()).parent / "locks"


def lock_path(extract_id: str, warehouse: Path | None = None) -> Path:
    """The archived warehouse of one data lock (extract), `locks/<extract_id>.duckdb`."""
    if not extract_id or "/" in extract_id or extract_id in (".", ".."):
        raise ValueError(f"not an extract id: {extract_id!r}")
    return locks_dir(warehouse) / f"{extract_id}.duckdb"


def resolve_warehouse(warehouse: Path | None = None, lock: str | None = None) -> Path:
    """The one warehouse resolution every command and the Python API use: an explicit file, else
    the published warehouse ($IL2_WAREHOUSE, else warehouse/il2_registry.duckdb under the project
    root); with `lock`, that warehouse's archived lock instead."""
    published = Path(warehouse).expanduser().resolve() if warehouse is not None else warehouse_path()
    return lock_path(lock, published) if lock else published
