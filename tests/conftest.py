"""Shared fixtures: generated extracts and warehouses built from them, in temporary folders.

Builds are expensive, so the paper extract and its warehouse are made once per session.
Every dbt call gets its own warehouse path and target folder, so tests never touch the
developer's published warehouse and can run beside each other.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PAPER_SEED = 20180331


def il2reg(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the project's CLI as a user would."""
    return subprocess.run(
        [str(VENV_BIN / "il2reg"), *args], cwd=PROJECT_ROOT, text=True, capture_output=True, check=check
    )


def run_dbt(
    args: list[str],
    *,
    warehouse: Path,
    extract_dir: Path,
    work_dir: Path,
    extra_vars: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the project root against `extract_dir`, publishing to `warehouse`."""
    variables = {"extract_dir": str(extract_dir.resolve()), **(extra_vars or {})}
    vars_yaml = (
        "{"
        + ", ".join(f'"{k}": "{v}"' if isinstance(v, str) else f'"{k}": {v}' for k, v in variables.items())
        + "}"
    )
    full_env = {
        **os.environ,
        "IL2_WAREHOUSE": str(warehouse),
        "IL2_PROJECT_ROOT": str(PROJECT_ROOT),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    return subprocess.run(
        [
            str(VENV_BIN / "dbt"),
            *args,
            "--vars",
            vars_yaml,
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        cwd=PROJECT_ROOT,
        env=full_env,
        text=True,
        capture_output=True,
    )


def generate_extract(out: Path, *args: str) -> Path:
    il2reg("generate", *args, "--out", str(out))
    return out


@pytest.fixture(scope="session")
def paper_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The paper-profile extract, as `make run` generates it."""
    return generate_extract(
        tmp_path_factory.mktemp("paper") / "extract", "--profile", "paper", "--seed", str(PAPER_SEED)
    )


@pytest.fixture(scope="session")
def paper_warehouse(paper_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by `dbt build` from the paper extract (all dbt tests passing)."""
    work = tmp_path_factory.mktemp("paper_build")
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=paper_extract, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse


SMALL_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "extract_small"


@pytest.fixture(scope="session")
def small_fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by `dbt build` from the hand-written fixture extract, unchanged and with
    the default vars: built once for every test module that only reads it
    (test_ingest_fixture, test_site_quality)."""
    work = tmp_path_factory.mktemp("fixture_build")
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(["build"], warehouse=warehouse, extract_dir=SMALL_FIXTURE, work_dir=work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse
