"""Render the whole report from a warehouse into a folder: HTML page, PNG/SVG figures, CSV."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt

from il2_registry import __version__
from il2_registry.report import figures, queries
from il2_registry.report.comparison import compare, infeasible_figures, published_inconsistencies
from il2_registry.report.data import ENDPOINTS, Progress, load_report_data
from il2_registry.report.html import FigureBlock, PageMeta, render_page
from il2_registry.report.published import load_published
from il2_registry.report.reproduction import resolver
from il2_registry.report.since_lock import DIFF_JSON, lock_changes, since_lock_html
from il2_registry.report.tables import all_tables

PAGE_NAME = "report.html"
COMPARISON_CSV = "published_vs_reproduced.csv"
FIGURE_STEMS = {"OS": "figure1_overall_survival", "PFS": "figure2_progression_free_survival"}
FIGURE_CAPTIONS = {
    "OS": (
        "Overall survival from the first HD IL-2 dose, IL-2 alone (blue) vs IL-2 after PD-1/PD-L1 "
        "inhibition (orange): a) metastatic melanoma, b) metastatic renal cell carcinoma. Shaded: "
        "95% confidence band; ticks: censored patients (thinned to at most 40 per curve); dotted "
        "lines and dot: median survival. Numbers at risk under each panel. The x-axis runs to the "
        "longest follow-up of the IL-2 after PD-1/PD-L1 cohort (`il2reg report --full-range` for all)."
    ),
    "PFS": (
        "Progression-free survival from the first HD IL-2 dose (progression, new anti-cancer "
        "therapy or death), IL-2 alone (blue) vs IL-2 after PD-1/PD-L1 inhibition (orange): a) "
        "metastatic melanoma, b) metastatic renal cell carcinoma. Shaded: 95% confidence band; "
        "ticks: censored patients (thinned to at most 40 per curve); dotted lines and dot: median. "
        "Numbers at risk under each panel. The x-axis runs to the longest follow-up of the IL-2 after "
        "PD-1/PD-L1 cohort (`il2reg report --full-range` for all)."
    ),
}
DEFINITIONS = [
    "Day 1 = the first HD IL-2 dose; months = days / 30.4375; survival times run from day 1.",
    "Cohorts: IL-2 after PD-1/PD-L1 (prior_icb) = any PD-1 or PD-L1 agent started before day 1; "
    "IL-2 alone = the others.",
    "Responses: investigator RECIST 1.1. Best overall response is unconfirmed, as in the paper "
    "(assessments after day 1 up to the first PD and before any new anti-cancer therapy).",
    "Counts are patients. Doses per cycle are pooled over cycles with at least one dose given "
    "(sample SD). Median follow-up is the plain median of follow-up months.",
    "Durability: “progressed” = a duration-of-response event (progression, new therapy or death).",
    "Pneumonitis case: treatment day of onset = days from day 1 + 1 (day 1 is treatment day 1). "
    "Autoimmune toxicities = adverse events of the prior_icb cohort flagged immune-related.",
    "Kaplan-Meier estimates, confidence bands and log-rank tests are the warehouse's own "
    "(marts.km_curves, km_summary, logrank), written by the survival step of dbt build.",
]


class ReportInputError(Exception):
    """The warehouse is missing or lacks a relation the report needs."""


@dataclass
class ReportResult:
    page: Path
    figures: dict[str, dict[str, Path]]
    comparison_csv: Path
    matched: int
    total: int
    seconds: float


def open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.is_file():
        raise ReportInputError(
            f"warehouse not found: {warehouse} (build it with `make build`, or set IL2_WAREHOUSE)"
        )
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise ReportInputError(f"cannot open warehouse {warehouse} read-only: {error}") from error
    missing = queries.missing_relations(con)
    if missing:
        con.close()
        raise ReportInputError(
            f"warehouse {warehouse} lacks {', '.join(missing)} (MARTS.md interface v1); "
            "rebuild it with `dbt build`"
        )
    return con


def build_report(
    warehouse: Path, out_dir: Path, progress: Progress = lambda _: None, *, full_range: bool = False
) -> ReportResult:
    """full_range: the OS/PFS x-axis over all follow-up instead of the prior_icb cohort's."""
    started = time.perf_counter()
    progress(f"opening {warehouse} (read-only)")
    con = open_warehouse(warehouse)
    try:
        data = load_report_data(con, progress)
    finally:
        con.close()

    progress("building tables and the published-vs-reproduced comparison")
    tables = all_tables(data)
    published = load_published()
    comparison = compare(published, resolver(data))

    out_dir.mkdir(parents=True, exist_ok=True)
    blocks: list[FigureBlock] = []
    written: dict[str, dict[str, Path]] = {}
    for endpoint in ENDPOINTS:
        progress(f"drawing {figures.ENDPOINT_TITLES[endpoint][0]} ({endpoint})")
        fig = figures.km_figure(
            endpoint,
            data.km_curves[endpoint],
            data.at_risk[endpoint],
            data.km_summary,
            data.logrank,
            full_range=full_range,
        )
        try:
            paths = figures.save_figure(fig, out_dir, FIGURE_STEMS[endpoint])
        finally:
            plt.close(fig)
        written[endpoint] = paths
        number, title = figures.ENDPOINT_TITLES[endpoint]
        blocks.append(
            FigureBlock(
                key=FIGURE_STEMS[endpoint],
                title=f"{number}. {title}",
                caption=FIGURE_CAPTIONS[endpoint],
                png=paths["png"].read_bytes(),
                files={fmt: path.name for fmt, path in paths.items()},
            )
        )

    progress("comparing with the previous data lock")
    since_lock = ""
    changes = lock_changes(warehouse, data.extract["extract_id"])
    if changes is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / DIFF_JSON).write_text(json.dumps(changes, indent=2, ensure_ascii=False), encoding="utf-8")
        since_lock = since_lock_html(changes)

    progress("writing the HTML page")
    meta = PageMeta(
        extract_id=data.extract["extract_id"],
        data_cutoff_date=data.extract["data_cutoff_date"],
        built_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        version=__version__,
        warehouse=str(warehouse),
    )
    page = out_dir / PAGE_NAME
    page.write_text(
        render_page(
            meta,
            tables,
            blocks,
            comparison,
            DEFINITIONS,
            published_inconsistencies(published),
            since_lock,
            infeasible_figures(published),
        ),
        encoding="utf-8",
    )
    csv_path = out_dir / COMPARISON_CSV
    comparison.to_csv(csv_path, index=False)
    matched = int((comparison["match"] == "yes").sum())
    return ReportResult(page, written, csv_path, matched, len(comparison), time.perf_counter() - started)
