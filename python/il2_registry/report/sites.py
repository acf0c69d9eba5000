"""The report's site data-quality section: audit.site_scorecard as a ranked table of sites."""

from __future__ import annotations

import pandas as pd

from il2_registry.report.data import ReportData
from il2_registry.report.tables import DASH, Table, fmt_number, is_missing

# Worst first: the share of rows rejected, then findings per patient, then stale follow-up.
RANK_COLUMNS = ("pct_rows_rejected", "findings_per_patient", "pct_over_180_days_since_last_contact")


def rank_sites(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard sorted worst first (ties by site id), with `rank` 1, 2, ..."""
    ranked = scorecard.copy()
    keys = [ranked[c].fillna(-1.0) for c in RANK_COLUMNS]
    order = sorted(
        range(len(ranked)),
        key=lambda i: (*(-float(k.iloc[i]) for k in keys), str(ranked["site_id"].iloc[i])),
    )
    ranked = ranked.iloc[order].reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked


def _pct(value: object) -> str:
    return DASH if is_missing(value) else f"{fmt_number(value, 1)}%"


def site_scorecard(data: ReportData) -> Table | None:
    if data.site_scorecard is None or data.site_scorecard.empty:
        return None
    rows = []
    for r in rank_sites(data.site_scorecard).itertuples(index=False):
        rows.append(
            {
                "Rank": str(r.rank),
                "Site": f"{r.site_id} {' '.join(str(r.site_name or '').split())}".strip(),
                "Patients (in analysis)": f"{r.n_patients} ({r.n_patients_in_analysis})",
                "Rows rejected / read": f"{r.rows_rejected} / {r.rows_read} ({_pct(r.pct_rows_rejected)})",
                "Findings (per patient)": f"{r.n_findings} ({fmt_number(r.findings_per_patient, 2)})",
                "Baseline LDH / ECOG": f"{_pct(r.pct_with_baseline_ldh)} / {_pct(r.pct_with_baseline_ecog)}",
                "Day 1 / response / vital status": (
                    f"{_pct(r.pct_with_day1)} / {_pct(r.pct_with_response)} / {_pct(r.pct_with_vital_status)}"
                ),
                "Days since last contact, median (> 180 d)": (
                    f"{fmt_number(r.median_days_since_last_contact, 0)} "
                    f"({_pct(r.pct_over_180_days_since_last_contact)})"
                ),
            }
        )
    return Table(
        "site_scorecard",
        "Data quality by site",
        pd.DataFrame(rows),
        [
            "audit.site_scorecard, worst first: share of rows rejected, then findings per patient, then "
            "share of living patients last contacted more than 180 days before the cut-off. Completeness "
            "is % of the site's patients (response: of those in the analysis). Rows rejected per file "
            "and reason, findings per check: audit.site_quality_counts."
        ],
        label_columns=2,
    )
