"""The paper's figures computed from the truth, and their comparison with published_values.yml."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import yaml
from lifelines import KaplanMeierFitter

from il2_registry.generator.tables import ClinicalTables
from il2_registry.generator.truth import cycle_doses, stop_toxicities


def load_published() -> dict:
    text = resources.files("il2_registry").joinpath("data/published_values.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def km_median_months(days: pd.Series, events: pd.Series) -> float | None:
    """Kaplan-Meier median (lifelines); None when the curve never reaches 0.5."""
    kmf = KaplanMeierFitter().fit(np.asarray(days, dtype=float) / 30.4375, np.asarray(events, dtype=int))
    median = kmf.median_survival_time_
    return None if not np.isfinite(median) else float(median)


def km_touches_half(days: pd.Series, events: pd.Series) -> bool:
    """True when the curve lies exactly at 0.5 over an interval (median conventions differ)."""
    kmf = KaplanMeierFitter().fit(np.asarray(days, dtype=float), np.asarray(events, dtype=int))
    return bool(np.any(np.isclose(kmf.survival_function_.iloc[:, 0].to_numpy(), 0.5, atol=1e-12)))


def _summary(values: pd.Series) -> dict:
    v = values.dropna()
    return {"mean": float(v.mean()), "min": float(v.min()), "max": float(v.max())}


def paper_figures(truth: pd.DataFrame, t: ClinicalTables) -> dict:
    """Every figure of published_values.yml that the truth determines, same layout."""
    icb = truth[truth["cohort"] == "prior_icb"]
    fig: dict = {"cohorts": {}}
    fig["cohorts"]["prior_icb"] = {d: int((icb["disease"] == d).sum()) for d in ("mM", "mRCC")}
    fig["cohorts"]["il2_alone_total"] = int((truth["cohort"] == "il2_alone").sum())

    agents = {}
    for d in ("mM", "mRCC"):
        g = icb[icb["disease"] == d]
        agents[d] = {
            "nivolumab": int(g["prior_nivolumab"].sum()),
            "pembrolizumab": int(g["prior_pembrolizumab"].sum()),
            "atezolizumab": int(g["prior_atezolizumab"].sum()),
            "pd1_agent_not_recorded": int(g["prior_pd1_agent_not_recorded"].sum()),
            "nivolumab_plus_ipilimumab": int(g["prior_nivolumab_plus_ipilimumab"].sum()),
        }
    fig["prior_icb_agents"] = agents

    fig["table_1_best_response"] = {}
    fig["objective_response_rate_pct"] = {}
    fig["durability_at_data_lock"] = {}
    for d in ("mM", "mRCC"):
        g = icb[icb["disease"] == d]
        fig["table_1_best_response"][d] = {
            "initial_response": {
                r: int((g["initial_response"] == r).sum()) for r in ("CR", "PR", "SD", "PD")
            },
            "best_overall_response": {
                r: int((g["best_overall_response"] == r).sum()) for r in ("CR", "PR", "SD", "PD")
            },
        }
        fig["objective_response_rate_pct"][d] = 100 * float(
            g["best_overall_response"].isin(["CR", "PR"]).mean()
        )
        dur = {}
        for r in ("CR", "PR"):
            resp = g[g["best_overall_response"] == r]
            dur[f"{r}_progressed"] = int((resp["dor_event"] == 1).sum())
            dur[f"{r}_continuing"] = int((resp["dor_event"] == 0).sum())
            dur[f"{r}_total"] = len(resp)
        fig["durability_at_data_lock"][d] = dur
    fig["objective_response_rate_pct"]["all_prior_icb"] = 100 * float(
        icb["best_overall_response"].isin(["CR", "PR"]).mean()
    )

    chars = {}
    for d in ("mM", "mRCC"):
        g = icb[icb["disease"] == d]
        c = {
            "months_metastatic_dx_to_il2": _summary(g["months_metastatic_dx_to_day1"]),
            "months_il2_treatment_duration": _summary(g["months_il2_treatment"]),
            "months_pd1_end_to_il2": _summary(g["months_pd1_end_to_day1"]),
            "months_on_pd1": _summary(g["months_on_pd1"]),
            "median_follow_up_months": {
                "median": float(g["months_follow_up"].median()),
                "min": float(g["months_follow_up"].min()),
                "max": float(g["months_follow_up"].max()),
            },
        }
        recorded = g["prior_pd1_best_response"].dropna()
        c["prior_pd1_response_recorded"] = {"n": len(recorded), **recorded.value_counts().to_dict()}
        if d == "mM":
            c["ldh_u_per_l"] = _summary(g["ldh_value"])
            c["mutation_status_reported"] = int(g["is_mutation_status_reported"].sum())
            c["braf_mutant"] = int((g["braf_status"] == "MUTANT").sum())
            c["nras_mutant"] = int((g["nras_status"] == "MUTANT").sum())
            c["ckit_mutant"] = int((g["ckit_status"] == "MUTANT").sum())
            c["prior_braf_inhibitor"] = int(g["prior_braf_mek"].sum())
        else:
            c["prior_vegf_tki"] = int(g["prior_vegf_tki"].sum())
        chars[d] = c
    fig["characteristics_prior_icb"] = chars

    cyc = cycle_doses(t)
    cyc["disease"] = truth["disease"].reindex(cyc["patient_id"]).to_numpy()
    cyc["cohort"] = truth["cohort"].reindex(cyc["patient_id"]).to_numpy()
    dosing: dict = {"doses_per_cycle": {}, "cycles_received": {}}
    for d in ("mM", "mRCC"):
        g = cyc[(cyc["cohort"] == "prior_icb") & (cyc["disease"] == d)]["doses_given"]
        dosing["doses_per_cycle"][d] = {"mean": float(g.mean()), "sd": float(g.std(ddof=1))}
        received = icb[icb["disease"] == d]["cycles_received"].dropna()
        counts = {str(k): int((received == k).sum()) for k in (1, 2, 3, 4)}
        counts["more_than_4"] = int((received > 4).sum())
        dosing["cycles_received"][d] = counts
    fig["dosing_prior_icb"] = dosing

    tox = stop_toxicities(t)
    tox = tox[tox["patient_id"].isin(icb.index)]
    counts = tox["preferred_term"].value_counts()
    ae = t.adverse_events[t.adverse_events["patient_id"].isin(icb.index)]
    fig["toxicity_prior_icb"] = {
        "most_common_stop_toxicity": str(counts.index[0]),
        "most_common_is_unique": bool(len(counts) == 1 or counts.iloc[0] > counts.iloc[1]),
        "stop_toxicities_seen": sorted(counts.index),
        "autoimmune_toxicities_recorded": int((ae["immune_related"] == "Y").sum()),
    }

    surv: dict = {"overall_survival": {}, "progression_free_survival": {}}
    for endpoint, key in (("os", "overall_survival"), ("pfs", "progression_free_survival")):
        for d in ("mM", "mRCC"):
            surv[key][d] = {}
            for cohort in ("prior_icb", "il2_alone"):
                g = truth[(truth["disease"] == d) & (truth["cohort"] == cohort)]
                med = km_median_months(g[f"{endpoint}_days"], g[f"{endpoint}_event"])
                surv[key][d][cohort] = "not_reached" if med is None else med
                surv[key][d][cohort + "_touches_half"] = km_touches_half(
                    g[f"{endpoint}_days"], g[f"{endpoint}_event"]
                )
    fig["survival_months"] = surv
    return fig


def compare(fig: dict, published: dict) -> list[str]:
    """Differences beyond the published tolerances, one line each (empty = all match)."""
    tol = published.get("tolerances", {})
    problems: list[str] = []

    def check(path: str, got, want, kind: str) -> None:
        if want == "not_reached" or got == "not_reached":
            if want != got:
                problems.append(f"{path}: got {got}, published {want}")
            return
        limit = {"count": 0, "median": tol.get("median_months", 0.1)}.get(kind, tol.get("mean", 0.05))
        if kind == "count":
            if int(got) != int(want):
                problems.append(f"{path}: got {got}, published {want}")
        elif abs(float(got) - float(want)) > limit + 1e-9:
            problems.append(f"{path}: got {got:.3f}, published {want}")

    def walk(path: str, got, want) -> None:
        if isinstance(want, dict):
            for k, v in want.items():
                if k not in got:
                    continue
                walk(f"{path}.{k}", got[k], v)
        elif isinstance(want, list):
            if sorted(got) != sorted(want):
                problems.append(f"{path}: got {sorted(got)}, published {sorted(want)}")
        elif isinstance(want, str):
            if got != want:
                problems.append(f"{path}: got {got}, published {want}")
        elif isinstance(want, int) and not path.endswith(("mean", "min", "max", "median", "sd")):
            if "survival_months" in path:
                check(path, got, want, "median")
            else:
                check(path, got, want, "count")
        else:
            check(path, got, want, "median" if "survival_months" in path else "mean")

    for section, want in published.items():
        if section == "tolerances" or section not in fig:
            continue
        walk(section, fig[section], want)
    return problems
