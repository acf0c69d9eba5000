"""The documented Python API: docs/python_api.md's example, executed on the paper warehouse."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import il2_registry as il2
from il2_registry.survival.frame import SurvivalDataError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DOC = PROJECT_ROOT / "docs" / "python_api.md"


def doc_example() -> str:
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    return code


def test_the_documented_example_runs(paper_warehouse, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("IL2_WAREHOUSE", str(paper_warehouse))
    monkeypatch.chdir(tmp_path)  # from any folder (the README's old one-liner needed the root)
    namespace: dict[str, object] = {}
    exec(compile(doc_example(), str(DOC), "exec"), namespace)
    printed = capsys.readouterr().out
    assert "prior_icb" in printed and "hazard_ratio" in printed
    fit, con = namespace["fit"], namespace["con"]
    # The same fit as the warehouse's survival step: marts.cox (whole days) and km_summary.
    # Days / 30.4375 keeps the order of times, so the Cox fit in months is the same.
    hr, p = con.sql(
        "select hazard_ratio, p_value from marts.cox where disease = 'mM' and endpoint = 'OS'"
    ).fetchone()
    (row,) = fit.cox.itertuples()
    assert (row.group, row.reference) == ("prior_icb", "il2_alone")
    assert row.hazard_ratio == pytest.approx(hr, rel=1e-9) and row.p_value == pytest.approx(p, rel=1e-9)
    assert list(fit.summary["n"]) == [580, 40]  # il2_alone, prior_icb (mM in the paper profile)
    assert list(fit.at_times["time"]) == [6, 12, 24, 6, 12, 24]
    assert list(namespace["by_disease"].summary["group"]) == ["mM", "mRCC"]
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("create table marts.scribble as select 1")


def test_import_is_light():
    # `import il2_registry` must not pull in duckdb, pandas or lifelines (lazy attributes).
    heavy = "('duckdb', 'pandas', 'lifelines')"
    code = f"import sys, il2_registry; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], text=True, capture_output=True, check=True).stdout
    assert out.strip() == "[]"


def test_connect_names_a_missing_warehouse(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.duckdb"):
        il2.connect(tmp_path / "nowhere.duckdb")
    with pytest.raises(FileNotFoundError, match=r"locks/2018-03-31-x\.duckdb"):
        il2.connect(tmp_path / "w.duckdb", lock="2018-03-31-x")


def test_km_on_an_empty_frame_is_an_error():
    import pandas as pd

    with pytest.raises(SurvivalDataError, match="no rows"):
        il2.km(pd.DataFrame({"t": [], "e": []}), time="t", event="e")
