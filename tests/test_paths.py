"""The published warehouse path must be the same for the CLI as for profiles.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from il2_registry.paths import warehouse_path


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
