"""Everything the report shows, read from the warehouse in one pass (small DataFrames only)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from il2_registry.report import queries

ENDPOINTS = ("OS", "PFS")
AT_RISK_STEP_MONTHS = 3.0

Progress = Callable[[str], None]


@dataclass
class ReportData:
    extract: dict[str, str]
    cohort_sizes: pd.DataFrame
    responses: pd.DataFrame
    objective_response: pd.DataFrame
    characteristics: pd.DataFrame
    prior_icb_agents: pd.DataFrame
    doses_per_cycle: pd.DataFrame
    cycles_received: pd.DataFrame
    stop_toxicities: pd.DataFrame
    durability: pd.DataFrame
    immune_related: pd.DataFrame
    pneumonitis: pd.DataFrame
    km_summary: pd.DataFrame
    logrank: pd.DataFrame
    cox: pd.DataFrame | None
    site_scorecard: pd.DataFrame | None = None
    km_curves: dict[str, pd.DataFrame] = field(default_factory=dict)
    at_risk: dict[str, pd.DataFrame] = field(default_factory=dict)


def at_risk_grid(max_months: float, step: float = AT_RISK_STEP_MONTHS) -> list[float]:
    """0, step, 2*step, ... up to the first multiple of step at or past max_months."""
    last = max(1, math.ceil(max(max_months, 0.0) / step))
    return [i * step for i in range(last + 1)]


def load_report_data(con: duckdb.DuckDBPyConnection, progress: Progress = lambda _: None) -> ReportData:
    progress("reading cohort, responses and characteristics")
    data = ReportData(
        extract=queries.extract_info(con),
        cohort_sizes=queries.cohort_sizes(con),
        responses=queries.response_counts(con),
        objective_response=queries.objective_response(con),
        characteristics=queries.characteristics(con),
        prior_icb_agents=queries.prior_icb_agents(con),
        doses_per_cycle=pd.DataFrame(),
        cycles_received=pd.DataFrame(),
        stop_toxicities=pd.DataFrame(),
        durability=pd.DataFrame(),
        immune_related=pd.DataFrame(),
        pneumonitis=pd.DataFrame(),
        km_summary=pd.DataFrame(),
        logrank=pd.DataFrame(),
        cox=None,
    )
    progress("reading HD IL-2 cycles and toxicities")
    data.doses_per_cycle = queries.doses_per_cycle(con)
    data.cycles_received = queries.cycles_received(con)
    data.stop_toxicities = queries.stop_toxicities(con)
    data.immune_related = queries.immune_related_events(con)
    data.pneumonitis = queries.pneumonitis_cases(con)
    progress("reading survival estimates")
    data.durability = queries.durability(con)
    data.km_summary = queries.km_summary(con)
    data.logrank = queries.logrank(con)
    data.cox = queries.cox(con)
    data.site_scorecard = queries.site_scorecard(con)
    for endpoint in ENDPOINTS:
        progress(f"reading {endpoint} Kaplan-Meier curves and numbers at risk")
        data.km_curves[endpoint] = queries.km_curves(con, endpoint)
        max_months = queries.max_follow_up_months(con, endpoint)["max_months"].max()
        grid = at_risk_grid(0.0 if pd.isna(max_months) else float(max_months))
        data.at_risk[endpoint] = queries.numbers_at_risk(con, endpoint, grid)
    return data
