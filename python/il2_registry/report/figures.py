"""Figures 1 and 2: Kaplan-Meier curves with CI bands, censor marks, medians and numbers at risk.

Input is the warehouse's own estimates (marts.km_curves, km_summary, logrank) and numbers at
risk counted in DuckDB, so drawing costs the same for 100 or a million patients: a curve has
one point per distinct time, and censor marks are thinned to a bounded number per curve.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from il2_registry.report.tables import COHORT_LABELS, DISEASE_LABELS, fmt_p, is_missing  # noqa: E402

COHORT_ORDER = ("il2_alone", "prior_icb")
COLOURS = {"il2_alone": "#0072B2", "prior_icb": "#D55E00"}  # Okabe-Ito blue / vermillion
PANELS = (("a", "mM"), ("b", "mRCC"))
ENDPOINT_TITLES = {
    "OS": ("Figure 1", "Overall survival"),
    "PFS": ("Figure 2", "Progression-free survival"),
}
MAX_CENSOR_MARKS = 40
MAX_TICKS = 12


def thin_censor_marks(times: np.ndarray, max_marks: int = MAX_CENSOR_MARKS) -> np.ndarray:
    """Indices of at most `max_marks` censoring times spread over the time range: the first
    censoring time in each of `max_marks` equal-width bins."""
    times = np.asarray(times, dtype=float)
    if len(times) <= max_marks:
        return np.arange(len(times))
    low, high = float(times.min()), float(times.max())
    if high <= low:
        return np.arange(1)
    bins = np.minimum(((times - low) / (high - low) * max_marks).astype(int), max_marks - 1)
    _, first = np.unique(bins, return_index=True)
    return np.sort(first)


def tick_step(max_months: float) -> float:
    """A month step clinicians read easily (3, 6, 12, 24, ...) giving at most MAX_TICKS ticks."""
    for step in (3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0):
        if max_months / step <= MAX_TICKS:
            return step
    return float(np.ceil(max_months / MAX_TICKS / 12.0) * 12.0)


def fmt_at_risk(n: int) -> str:
    """Exact counts with thousands separators: each panel has the full width for them."""
    return f"{n:,}"


# Points between the at-risk row labels and the axis: half of the widest count ("1,000,000")
# centred on month 0 must not run into the labels.
AT_RISK_LABEL_PAD = 32


def _median_label(row: pd.Series | None) -> str:
    if row is None:
        return "no patients"
    n = f"{int(row['n']):,}"
    if is_missing(row["median_months"]):
        return f"n = {n}, median not reached"
    low = "NR" if is_missing(row["median_ci_lower"]) else f"{row['median_ci_lower']:.1f}"
    high = "NR" if is_missing(row["median_ci_upper"]) else f"{row['median_ci_upper']:.1f}"
    return f"n = {n}, median {row['median_months']:.1f} mo (95% CI {low}–{high})"


def _with_time_zero(curve: pd.DataFrame) -> pd.DataFrame:
    if curve.empty or float(curve["time_months"].iloc[0]) > 0:
        zero = pd.DataFrame(
            [{"time_months": 0.0, "survival": 1.0, "ci_lower": 1.0, "ci_upper": 1.0, "n_censored": 0}]
        )
        curve = pd.concat([zero, curve], ignore_index=True)
    return curve


def draw_panel(
    ax: plt.Axes,
    ax_risk: plt.Axes,
    letter: str,
    disease: str,
    endpoint: str,
    curves: pd.DataFrame,
    at_risk: pd.DataFrame,
    summary: pd.DataFrame,
    logrank: pd.DataFrame,
    max_months: float,
) -> None:
    step = tick_step(max_months)
    x_max = max(step, float(np.ceil(max_months / step) * step))
    ylabel = ENDPOINT_TITLES[endpoint][1] + " probability"
    drawn = 0
    for cohort in COHORT_ORDER:
        curve = curves[(curves["disease"] == disease) & (curves["cohort"] == cohort)].sort_values(
            "time_months"
        )
        srow = summary[
            (summary["disease"] == disease)
            & (summary["cohort"] == cohort)
            & (summary["endpoint"] == endpoint)
        ]
        srow = None if srow.empty else srow.iloc[0]
        if curve.empty:
            continue
        drawn += 1
        colour = COLOURS[cohort]
        curve = _with_time_zero(curve)
        t = curve["time_months"].to_numpy(float)
        s = curve["survival"].to_numpy(float)
        # Carry each step to the panel edge only up to the group's last time (no extrapolation).
        ax.step(
            t,
            s,
            where="post",
            color=colour,
            linewidth=1.8,
            label=f"{COHORT_LABELS[cohort]}: {_median_label(srow)}",
        )
        lo = curve["ci_lower"].astype(float).fillna(curve["survival"].astype(float)).to_numpy()
        hi = curve["ci_upper"].astype(float).fillna(curve["survival"].astype(float)).to_numpy()
        ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
        censored = curve[curve["n_censored"].fillna(0) > 0]
        if not censored.empty:
            keep = thin_censor_marks(censored["time_months"].to_numpy(float))
            marks = censored.iloc[keep]
            ax.plot(
                marks["time_months"],
                marks["survival"],
                linestyle="none",
                marker="|",
                markersize=7,
                markeredgewidth=1.2,
                color=colour,
            )
        if srow is not None and not is_missing(srow["median_months"]):
            m = float(srow["median_months"])
            ax.plot([0, m], [0.5, 0.5], color=colour, linestyle=":", linewidth=1.0)
            ax.plot([m, m], [0, 0.5], color=colour, linestyle=":", linewidth=1.0)
            ax.plot([m], [0.5], marker="o", markersize=4, color=colour)

    ax.set_xlim(0, x_max)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(np.arange(0, x_max + step / 2, step))
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#e6e6e6", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelbottom=True)
    ax.set_xlabel("Months since first HD IL-2 dose")
    lr = (
        logrank[(logrank["disease"] == disease) & (logrank["endpoint"] == endpoint)]
        if not logrank.empty
        else logrank
    )
    p_text = None if lr.empty else f"Log-rank p = {fmt_p(lr['p_value'].iloc[0])}".replace("= <", "<")
    # The legend sits between the title and the plot: the title is lifted above its lines.
    legend_lines = drawn + (1 if p_text else 0)
    ax.set_title(
        f"{letter})  {DISEASE_LABELS[disease]}",
        loc="left",
        fontsize=12,
        fontweight="bold",
        pad=8 + 16 * legend_lines,
    )
    if drawn:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            frameon=False,
            fontsize=10,
            title=p_text,
            title_fontsize=10,
            alignment="left",
            borderaxespad=0.2,
        )
    else:
        ax.text(0.5, 0.5, "No patients", transform=ax.transAxes, ha="center", va="center", color="#666")

    # Numbers at risk, aligned with the x ticks.
    ax_risk.set_xlim(0, x_max)
    ax_risk.set_ylim(-0.5, len(COHORT_ORDER) - 0.5)
    ticks = np.arange(0, x_max + step / 2, step)
    labels = []
    for row_index, cohort in enumerate(COHORT_ORDER):
        y = len(COHORT_ORDER) - 1 - row_index
        labels.append((y, COHORT_LABELS[cohort], COLOURS[cohort]))
        risk = at_risk[(at_risk["disease"] == disease) & (at_risk["cohort"] == cohort)]
        for tick in ticks:
            hit = risk[np.isclose(risk["time_months"].astype(float), tick)]
            n = 0 if hit.empty else int(hit["n_at_risk"].iloc[0])
            ax_risk.text(
                tick, y, fmt_at_risk(n), ha="center", va="center", fontsize=10, color=COLOURS[cohort]
            )
    ax_risk.set_yticks([y for y, _, _ in labels], [label for _, label, _ in labels], fontsize=10)
    for tick_label, (_, _, colour) in zip(ax_risk.get_yticklabels(), labels, strict=True):
        tick_label.set_color(colour)
    ax_risk.set_xticks([])
    ax_risk.tick_params(left=False, pad=AT_RISK_LABEL_PAD)
    for spine in ax_risk.spines.values():
        spine.set_visible(False)
    ax_risk.set_title("Number at risk", loc="left", fontsize=10, pad=2)


def km_figure(
    endpoint: str,
    curves: pd.DataFrame,
    at_risk: pd.DataFrame,
    summary: pd.DataFrame,
    logrank: pd.DataFrame,
    *,
    full_range: bool = False,
) -> Figure:
    """Two panels (a mM above b mRCC) of one endpoint, each with its numbers-at-risk table.

    The x-axis of a panel runs to the prior_icb cohort's longest follow-up (the comparison the
    paper makes), or over every patient's with full_range."""
    number, title = ENDPOINT_TITLES[endpoint]
    with plt.rc_context({"font.size": 11}):
        return _km_figure(number, title, endpoint, curves, at_risk, summary, logrank, full_range)


def axis_max_months(curves: pd.DataFrame, disease: str, full_range: bool) -> float:
    """The panel's last month: the prior_icb cohort's longest time, or everyone's (full_range, or
    a disease without prior_icb patients)."""
    times = curves.loc[curves["disease"] == disease, "time_months"]
    prior = curves.loc[(curves["disease"] == disease) & (curves["cohort"] == "prior_icb"), "time_months"]
    if not full_range and not prior.empty and float(prior.max()) > 0:
        return float(prior.max())
    return float(times.max()) if not times.empty else 12.0


def _km_figure(
    number: str,
    title: str,
    endpoint: str,
    curves: pd.DataFrame,
    at_risk: pd.DataFrame,
    summary: pd.DataFrame,
    logrank: pd.DataFrame,
    full_range: bool = False,
) -> Figure:
    # Panels stacked as in the paper (a above b): each gets the full width, so legends, medians
    # and numbers at risk have room at any warehouse size.
    fig = plt.figure(figsize=(11, 12.5), layout="constrained")
    grid = fig.add_gridspec(4, 1, height_ratios=[5, 1.0, 5, 1.0])
    for index, (letter, disease) in enumerate(PANELS):
        ax = fig.add_subplot(grid[2 * index, 0])
        ax_risk = fig.add_subplot(grid[2 * index + 1, 0])
        max_months = axis_max_months(curves, disease, full_range)
        draw_panel(ax, ax_risk, letter, disease, endpoint, curves, at_risk, summary, logrank, max_months)
    fig.suptitle(
        f"{number}. {title} in months for patients treated with IL-2 alone\n"
        "or IL-2 following PD-1/PD-L1 inhibition",
        fontsize=13,
    )
    return fig


def save_figure(fig: Figure, out_dir: Path, stem: str) -> dict[str, Path]:
    """Write PNG and SVG beside the page; return their paths."""
    paths = {"png": out_dir / f"{stem}.png", "svg": out_dir / f"{stem}.svg"}
    fig.savefig(paths["png"], dpi=130)
    fig.savefig(paths["svg"])
    return paths
