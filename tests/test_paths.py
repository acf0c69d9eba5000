"""The published warehouse path must be the same for the CLI as for profiles.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

import il2_registry
from il2_registry.paths import project_root, resolve_warehouse, warehouse_path


def test_relative_warehouse_is_taken_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # profiles.yml prefixes a relative $IL2_WAREHOUSE with the project root, so the CLI must
    # too, whatever directory the analyst runs it from.
    monkeypatch.setenv("IL2_PROJECT_ROOT", str(tmp_path / "project"))
    monkeypatch.setenv("IL2_WAREHOUSE", "custom/wh.duckdb")
    monkeypatch.chdir(tmp_path)
    assert warehouse_path() == tmp_path / "project" / "custom" / "wh.duckdb"


def test_absolute_warehouse_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IL2_PROJECT_ROOT", str(tmp_path / "project"))
    monkeypatch.setenv("IL2_WAREHOUSE", str(tmp_path / "elsewhere.duckdb"))
    assert warehouse_path() == tmp_path / "elsewhere.duckdb"


def test_default_warehouse_is_under_the_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IL2_PROJECT_ROOT", str(tmp_path))
    monkeypatch.delenv("IL2_WAREHOUSE", raising=False)
    assert warehouse_path() == tmp_path / "warehouse" / "il2_registry.duckdb"


def _copy_of_the_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "dbt_project.yml").write_text('name: il2_registry\nversion: "0.1.0"\n')
    return folder


def test_a_copy_run_from_inside_opens_its_own_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The issue: from a copy of the project, the CLI (installed from the original checkout)
    # opened the original's warehouse. The checkout containing the cwd wins now.
    copy = _copy_of_the_project(tmp_path / "copy")
    (copy / "notebooks").mkdir()
    monkeypatch.delenv("IL2_PROJECT_ROOT", raising=False)
    monkeypatch.delenv("IL2_WAREHOUSE", raising=False)
    monkeypatch.chdir(copy / "notebooks")
    assert project_root() == copy
    assert resolve_warehouse() == copy / "warehouse" / "il2_registry.duckdb"


def test_outside_any_checkout_the_package_checkout_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another dbt project (different name) is not this project.
    other = tmp_path / "other"
    other.mkdir()
    (other / "dbt_project.yml").write_text("name: something_else\n")
    monkeypatch.delenv("IL2_PROJECT_ROOT", raising=False)
    monkeypatch.chdir(other)
    assert project_root() == Path(il2_registry.__file__).resolve().parents[2]


def test_explicit_warehouse_and_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_warehouse(Path("w.duckdb")) == tmp_path / "w.duckdb"  # an explicit file: cwd
    assert resolve_warehouse(Path("w.duckdb"), "2018-03-31-x") == tmp_path / "locks" / "2018-03-31-x.duckdb"
