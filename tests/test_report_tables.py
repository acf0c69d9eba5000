"""Pure pieces of the report: exact CIs, rounding, formatting, Table 1 layout, figure helpers,
and the `il2reg report` command on the hand-made warehouse (files, offline page, errors)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from il2_registry.report.data import ReportData
from il2_registry.report.figures import thin_censor_marks, tick_step
from il2_registry.report.stats import round_half_up
from il2_registry.report.tables import fmt_median_ci, fmt_n_pct, fmt_p, table_1
from test_report_synthetic import PAPER_MARTS, build_synthetic_warehouse

IL2REG = Path(sys.executable).parent / "il2reg"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(42.5, 0, 43), (12.5, 0, 13), (37.5, 0, 38), (0.285, 2, 0.29), (2.4999, 0, 2), (22.8070, 1, 22.8)],
)
def test_round_half_up(value, digits, expected) -> None:
    assert round_half_up(value, digits) == expected


def test_formatting() -> None:
    assert fmt_n_pct(17, 40) == "17 (43)"  # 42.5 rounds half up
    assert fmt_n_pct(0, 0) == "0 (–)"
    assert fmt_median_ci(29.4, 20.1, None) == "29.4 (20.1–NR)"
    assert fmt_median_ci(None, None, None) == "not reached"
    assert fmt_median_ci(None, 12.0, None) == "not reached (12.0–NR)"
    assert fmt_p(0.0004) == "< 0.001"
    assert fmt_p(0.04234) == "0.042"
    assert fmt_p(float("nan")) == "–"


def _data_with_responses(responses: pd.DataFrame, sizes: pd.DataFrame) -> ReportData:
    empty = pd.DataFrame()
    return ReportData(
        extract={}, cohort_sizes=sizes, responses=responses, objective_response=empty,
        characteristics=empty, prior_icb_agents=empty,
        doses_per_cycle=empty, cycles_received=empty, stop_toxicities=empty, durability=empty,
        immune_related=empty, pneumonitis=empty, km_summary=empty, logrank=empty, cox=None,
    )  # fmt: skip


def test_table_1_layout_from_counts() -> None:
    # The paper's mM column: initial CR 0, PR 3, SD 20, PD 17 of 40; no NE row when none is NE.
    rows = [("initial_response", r, n) for r, n in (("PR", 3), ("SD", 20), ("PD", 17))]
    rows += [("best_overall_response", r, n) for r, n in (("CR", 4), ("PR", 5), ("SD", 15), ("PD", 16))]
    responses = pd.DataFrame(
        [dict(disease="mM", cohort="prior_icb", kind=k, response=r, n=n) for k, r, n in rows]
    )
    sizes = pd.DataFrame(
        [dict(disease="mM", cohort="prior_icb", n=40), dict(disease="mRCC", cohort="prior_icb", n=0)]
    )
    frame = table_1(_data_with_responses(responses, sizes)).frame
    assert list(frame.columns) == ["Type", "Best Response", "mM (N\u00a0=\u00a040)", "mRCC (N\u00a0=\u00a00)"]
    assert list(frame["Type"]) == ["Initial Response", "", "", "", "Best Overall Response", "", "", ""]
    # 3/40 = 7.5 -> 8; 17/40 = 42.5 -> 43; 5/40 = 12.5 -> 13; 15/40 = 37.5 -> 38
    assert list(frame["mM (N\u00a0=\u00a040)"]) == [
        "0 (0)",
        "3 (8)",
        "20 (50)",
        "17 (43)",
        "4 (10)",
        "5 (13)",
        "15 (38)",
        "16 (40)",
    ]
    assert set(frame["mRCC (N\u00a0=\u00a00)"]) == {"0 (–)"}


def test_thin_censor_marks_bounds_and_spreads() -> None:
    times = np.linspace(0, 100, 100_000)
    keep = thin_censor_marks(times, max_marks=40)
    assert 30 <= len(keep) <= 40
    assert times[keep].min() == 0 and times[keep].max() > 95  # spread over the whole range
    few = np.array([1.0, 2.0, 3.0])
    assert list(thin_censor_marks(few, max_marks=40)) == [0, 1, 2]


def test_tick_step_keeps_ticks_readable() -> None:
    assert tick_step(24) == 3
    assert tick_step(36) == 3  # 12 intervals
    assert tick_step(37) == 6
    assert tick_step(100) == 12
    assert tick_step(239) == 24
    for months in (1, 10, 50, 150, 400, 5000):
        assert months / tick_step(months) <= 12


def run_report(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(IL2REG), "report", *args], text=True, capture_output=True, env={**os.environ, **(env or {})}
    )


def test_report_command_writes_a_self_contained_page(tmp_path: Path) -> None:
    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb")
    out = tmp_path / "out"
    result = run_report("--out", str(out), env={"IL2_WAREHOUSE": str(warehouse)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "report.html")
    assert "drawing Figure 1" in result.stderr  # progress on stderr
    names = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "figure1_overall_survival.png",
        "figure1_overall_survival.svg",
        "figure2_progression_free_survival.png",
        "figure2_progression_free_survival.svg",
        "published_vs_reproduced.csv",
    } <= names
    page = (out / "report.html").read_text()
    # Offline: no reference to anything but the page itself, data URIs and files beside it.
    references = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page)
    assert references
    for ref in references:
        assert ref.startswith(("#", "data:image/png;base64,")) or (out / ref).is_file(), ref
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert page.count("data:image/png;base64,") == 2
    comparison = pd.read_csv(out / "published_vs_reproduced.csv")
    assert list(comparison.columns) == ["section", "figure", "published", "reproduced", "tolerance", "match"]


def test_report_command_names_a_missing_warehouse(tmp_path: Path) -> None:
    result = run_report("--warehouse", str(tmp_path / "nowhere.duckdb"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "no published warehouse at" in result.stderr and "nowhere.duckdb" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_command_names_missing_relations(tmp_path: Path) -> None:
    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("drop table marts.km_curves")
    con.close()
    result = run_report("--warehouse", str(warehouse), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "marts.km_curves" in result.stderr and "Traceback" not in result.stderr


def test_km_figure_thins_censor_marks_and_survives_gaps() -> None:
    import matplotlib.pyplot as plt

    from il2_registry.report.figures import MAX_CENSOR_MARKS, km_figure

    # mM IL-2 alone: 5,000 censored step points and a last point at S = 0 with no CI (as the
    # survival step writes it); no mRCC patients at all.
    times = np.linspace(0, 60, 5000)
    curve = pd.DataFrame(
        dict(disease="mM", cohort="il2_alone", time_months=times, survival=np.linspace(1, 0, 5000),
             ci_lower=np.linspace(1, 0, 5000), ci_upper=np.linspace(1, 0, 5000), n_at_risk=5000,
             n_events=0, n_censored=1)
    )  # fmt: skip
    curve.loc[curve.index[-1], ["ci_lower", "ci_upper"]] = np.nan
    at_risk = pd.DataFrame(
        dict(disease="mM", cohort="il2_alone", time_months=[0.0, 3.0], n_at_risk=[5000, 4000])
    )
    summary = pd.DataFrame(
        [dict(disease="mM", cohort="il2_alone", endpoint="OS", n=5000, n_events=10, median_months=30.0,
              median_ci_lower=29.0, median_ci_upper=31.0)]
    )  # fmt: skip
    logrank = pd.DataFrame(columns=["disease", "endpoint", "chi_square", "p_value"])
    fig = km_figure("OS", curve, at_risk, summary, logrank)
    try:
        panel_a, _, panel_b, _ = fig.axes
        marks = [line for line in panel_a.lines if line.get_marker() == "|"]
        assert len(marks) == 1 and 1 < len(marks[0].get_xdata()) <= MAX_CENSOR_MARKS
        assert "median 30.0 mo (95% CI 29.0–31.0)" in panel_a.get_legend().get_texts()[0].get_text()
        assert "No patients" in [t.get_text() for t in panel_b.texts]
    finally:
        plt.close(fig)


def test_dosing_table_on_the_synthetic_warehouse(tmp_path: Path) -> None:
    from il2_registry.report.data import load_report_data
    from il2_registry.report.tables import dosing

    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frame = dosing(load_report_data(con)).frame.set_index("HD IL-2 dosing")
    finally:
        con.close()
    column = "mM, IL-2 after PD-1/PD-L1 (N\u00a0=\u00a04)"
    # 8 cycles with a dose, mean 9.25 -> 9.3 (half up), SD sqrt(47.5 / 7) = 2.60
    assert frame.at["Doses per cycle, mean (SD)", column] == "9.3 (2.6)"
    assert frame.at["Cycles with ≥ 1 dose, n", column] == "8"
    # % of N = 4: P4 one cycle, P1 two, P2 five, P3 none recorded
    assert frame.at["  Cycles received: 1, n (%)", column] == "1 (25)"
    assert frame.at["  Cycles received: 2, n (%)", column] == "1 (25)"
    assert frame.at["  Cycles received: > 4, n (%)", column] == "1 (25)"
    assert frame.at["  Cycle data not available, n (%)", column] == "1 (25)"
    assert frame.at["Patients with cycle data, n (% of N)", column] == "3 (75)"


def test_report_renders_an_empty_warehouse(tmp_path: Path) -> None:
    """Every relation present but no rows: the page still renders, and nothing is claimed to match."""
    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb")
    con = duckdb.connect(str(warehouse))
    for table in ("cohort", "best_response", "survival", "il2_cycles", "stop_toxicities", "adverse_events",
                  "km_curves", "km_summary", "logrank", *PAPER_MARTS):  # fmt: skip
        con.execute(f"delete from marts.{table}")
    con.close()
    out = tmp_path / "out"
    result = run_report("--warehouse", str(warehouse), "--out", str(out))
    assert result.returncode == 0, result.stderr
    comparison = pd.read_csv(out / "published_vs_reproduced.csv")
    # No patients: figures of the prior_icb cohort are "not computed", the IL-2-alone total is
    # 0 against 1122; a published 0 (e.g. autoimmune toxicities) must not match by accident.
    matched = comparison[comparison["match"] == "yes"]
    assert list(matched["figure"]) == [], matched
