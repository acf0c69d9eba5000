"""Where things live: the project root, the published warehouse, the sample extract."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WAREHOUSE_RELATIVE = Path("warehouse") / "il2_registry.duckdb"


PROJECT_NAME_LINE = "name: il2_registry"


def is_project_checkout(folder: Path) -> bool:
    """A folder holding this project's dbt_project.yml (a checkout or a copy of one)."""
    config = folder / "dbt_project.yml"
    if not config.is_file():
        return False
    try:
        return any(line.strip() == PROJECT_NAME_LINE for line in config.read_text().splitlines())
    except OSError:
        return False


def _checkout_containing(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if is_project_checkout(folder):
            return folder
    return None


def project_root() -> Path:
    """The project root: $IL2_PROJECT_ROOT; else the checkout containing the current folder
    (so a copy of the project, run from inside it, opens its own warehouse even when the
    command comes from another checkout's venv); else the checkout this package sits in;
    else the current folder."""
    env = os.environ.get("IL2_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    return _checkout_containing(here) or _checkout_containing(Path(__file__).resolve().parent) or here


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
