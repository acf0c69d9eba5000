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
