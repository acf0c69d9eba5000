"""The report's tables as DataFrames of display strings (pure functions of ReportData)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from il2_registry import codes
from il2_registry.report.data import ReportData
from il2_registry.report.stats import round_half_up

DISEASES = codes.DISEASES
COHORTS = codes.COHORTS
COHORT_LABELS = codes.labels("cohort")
DISEASE_LABELS = codes.labels("disease")
RESPONSE_LABELS = codes.labels("response")
ENDPOINT_LABELS = codes.labels("endpoint")
DASH = "–"


@dataclass
class Table:
    key: str
    title: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    label_columns: int = 1  # leading columns that name the row (left-aligned); the rest are figures


# ---------------------------------------------------------------- formatting


def is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def yes_no(value: Any) -> str:
    """A Y/N field of the extract, where missing stays visibly missing."""
    if is_missing(value):
        return "not recorded"
    return "yes" if bool(value) else "no"


def fmt_n_pct(k: int, n: int) -> str:
    """'k (p)' with p the whole percent of n, rounded half up as in the paper's Table 1."""
    if n == 0:
        return f"{k} ({DASH})"
    return f"{k} ({int(round_half_up(100.0 * k / n))})"


def fmt_number(value: Any, digits: int = 1) -> str:
    if is_missing(value):
        return DASH
    return f"{round_half_up(float(value), digits):.{digits}f}"


def fmt_mean_range(mean: Any, low: Any, high: Any, digits: int = 1) -> str:
    if is_missing(mean):
        return DASH
    return f"{fmt_number(mean, digits)} ({fmt_number(low, digits)}{DASH}{fmt_number(high, digits)})"


def fmt_median_ci(median: Any, lower: Any, upper: Any) -> str:
    """Median months with its 95% CI; a median or bound not reached is written so."""
    if is_missing(median):
        text = "not reached"
    else:
        text = f"{float(median):.1f}"
    low = "NR" if is_missing(lower) else f"{float(lower):.1f}"
    high = "NR" if is_missing(upper) else f"{float(upper):.1f}"
    if is_missing(median) and is_missing(lower):
        return text
    return f"{text} ({low}{DASH}{high})"


def fmt_p(p: Any) -> str:
    if is_missing(p):
        return DASH
    p = float(p)
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}"


def n_label(n: int) -> str:
    """'(N = 40)' with no-break spaces, so a narrow column header never splits it."""
    return f"(N\u00a0=\u00a0{n})"


def group_label(disease: str, cohort: str, n: int) -> str:
    return f"{disease}, {COHORT_LABELS.get(cohort, cohort)} {n_label(n)}"


def _n(data: ReportData, disease: str, cohort: str) -> int:
    sizes = data.cohort_sizes
    hit = sizes[(sizes["disease"] == disease) & (sizes["cohort"] == cohort)]
    return 0 if hit.empty else int(hit["n"].iloc[0])


def groups(data: ReportData) -> list[tuple[str, str, int]]:
    """(disease, cohort, N) in report order: the paper's cohort first, then the comparator."""
    return [(d, c, _n(data, d, c)) for c in COHORTS for d in DISEASES]


# ---------------------------------------------------------------- tables


def table_1(data: ReportData, cohort: str = "prior_icb") -> Table:
    """Initial and best overall response by disease, n (%), as the paper's Table 1."""
    responses = data.responses[data.responses["cohort"] == cohort]
    sizes = {d: _n(data, d, cohort) for d in DISEASES}
    codes = ["CR", "PR", "SD", "PD"]
    if (responses[responses["response"] == "NE"]["n"] > 0).any():
        codes.append("NE")
    rows = []
    for kind, kind_label in (
        ("initial_response", "Initial Response"),
        ("best_overall_response", "Best Overall Response"),
    ):
        for i, code in enumerate(codes):
            row = {"Type": kind_label if i == 0 else "", "Best Response": RESPONSE_LABELS[code]}
            for d in DISEASES:
                hit = responses[
                    (responses["disease"] == d)
                    & (responses["kind"] == kind)
                    & (responses["response"] == code)
                ]
                k = 0 if hit.empty else int(hit["n"].iloc[0])
                row[f"{d} {n_label(sizes[d])}"] = fmt_n_pct(k, sizes[d])
            rows.append(row)
    title = (
        "Table 1. Best response to HD IL-2"
        if cohort == "prior_icb"
        else f"Table 1 (comparator). Best response to HD IL-2, {COHORT_LABELS[cohort]}"
    )
    notes = [
        "n (%) of the cohort; percentages are whole numbers rounded half up. Responses are "
        "investigator RECIST 1.1, unconfirmed, as in the paper; initial response = first "
        "assessment after day 1 (no assessment: Not Evaluable)."
    ]
    return Table(f"table1_{cohort}", title, pd.DataFrame(rows), notes, label_columns=2)


def objective_response(data: ReportData) -> Table:
    """marts.objective_response: ORR and its exact CI as the warehouse computes them."""
    orr = data.objective_response
    rows = []
    for cohort in COHORTS:
        for disease in (*DISEASES, "all"):
            hit = orr[(orr["disease"] == disease) & (orr["cohort"] == cohort)] if not orr.empty else orr
            r = None if hit.empty else hit.iloc[0]
            rows.append(
                {
                    "Group": COHORT_LABELS[cohort],
                    "Disease": "mM + mRCC" if disease == "all" else disease,
                    "Responders (CR + PR) / N": "0 / 0"
                    if r is None
                    else f"{int(r['n_responders'])} / {int(r['n_patients'])}",
                    "ORR, %": DASH if r is None else f"{r['orr_pct']:.1f}",
                    "95% CI (exact), %": (
                        DASH if r is None else f"{r['ci_lower_pct']:.1f}{DASH}{r['ci_upper_pct']:.1f}"
                    ),
                }
            )
    return Table(
        "orr",
        "Objective response rate (best overall response CR or PR)",
        pd.DataFrame(rows),
        ["95% CI: exact binomial (Clopper-Pearson), computed in the warehouse (marts.objective_response)."],
        label_columns=2,
    )


def characteristics(data: ReportData) -> Table:
    chars = data.characteristics
    cols = groups(data)
    rows: list[dict[str, str]] = []

    def row_for(disease: str, cohort: str) -> pd.Series | None:
        hit = chars[(chars["disease"] == disease) & (chars["cohort"] == cohort)]
        return None if hit.empty else hit.iloc[0]

    def add(label: str, cell) -> None:
        row = {"Characteristic": label}
        for disease, cohort, n in cols:
            r = row_for(disease, cohort)
            row[group_label(disease, cohort, n)] = DASH if r is None else cell(r, n, disease, cohort)
        rows.append(row)

    def count(column: str, only: str | None = None):
        def cell(r, n, disease, cohort):
            if only is not None and disease != only:
                return DASH
            return fmt_n_pct(int(r[column]), n)

        return cell

    def numeric(
        column: str,
        digits: int = 1,
        stat: str = "mean",
        only_prior: bool = False,
        range_digits: int | None = None,
    ):
        def cell(r, n, disease, cohort):
            if only_prior and cohort != "prior_icb":
                return DASH
            value = r[f"{column}__{stat}"]
            if is_missing(value):
                return DASH
            low_digits = digits if range_digits is None else range_digits
            return (
                f"{fmt_number(value, digits)} ({fmt_number(r[f'{column}__min'], low_digits)}{DASH}"
                f"{fmt_number(r[f'{column}__max'], low_digits)})"
            )

        return cell

    add("Patients, n", lambda r, n, d, c: str(n))
    # ages are whole years (capped at 90): the range prints as whole years, the mean to 0.1
    add("Age at first HD IL-2 dose, years, mean (min–max)", numeric("age_at_day1", 1, range_digits=0))
    add("Male, n (%)", count("sex_m"))
    add("Female, n (%)", count("sex_f"))
    add("ECOG 0, n (%)", count("ecog_0"))
    add("ECOG 1, n (%)", count("ecog_1"))
    add("ECOG ≥ 2, n (%)", count("ecog_2plus"))
    add("ECOG not recorded, n (%)", count("ecog_missing"))
    add("≥ 3 metastatic sites, n (%)", count("metastatic_sites_3plus"))
    add("LDH, U/L, mean (min–max)", numeric("ldh_value", 1))
    add("LDH above ULN, n (%)", count("ldh_above_uln"))
    add("Mutation status reported, n (%)", count("mutation_status_reported", only="mM"))
    add("BRAF mutant, n (%)", count("braf_mutant", only="mM"))
    add("NRAS mutant, n (%)", count("nras_mutant", only="mM"))
    add("cKIT mutant, n (%)", count("ckit_mutant", only="mM"))
    add("Prior PD-1 inhibitor, n (%)", count("prior_pd1"))
    add("Prior PD-L1 inhibitor, n (%)", count("prior_pdl1"))
    add("Prior CTLA-4 inhibitor, n (%)", count("prior_ctla4"))
    add("Prior BRAF/MEK inhibitor, n (%)", count("prior_braf_mek"))
    add("Prior VEGF TKI, n (%)", count("prior_vegf_tki"))
    add("Response to PD-1/PD-L1 recorded, n (%)", count("prior_icb_response_recorded"))
    for code in ("CR", "PR", "SD", "PD"):
        add(f"  … {RESPONSE_LABELS[code]}, n (%)", count(f"prior_icb_response_{code}"))
    add(
        "Months, metastatic diagnosis to HD IL-2, mean (min–max)",
        numeric("months_metastatic_dx_to_day1"),
    )
    add("Months on PD-1/PD-L1, mean (min–max)", numeric("months_on_pd1", only_prior=True))
    add(
        "Months, last PD-1/PD-L1 to HD IL-2, mean (min–max)",
        numeric("months_pd1_end_to_day1", only_prior=True),
    )
    add(
        "Months of HD IL-2 treatment (rest periods included), mean (min–max)", numeric("months_il2_treatment")
    )
    add("Follow-up, months, median (min–max)", numeric("months_follow_up", stat="median"))
    return Table(
        "characteristics",
        "Patient characteristics",
        pd.DataFrame(rows),
        [
            "Percentages of the group's N. Months = days / 30.4375. Follow-up runs from the first "
            "HD IL-2 dose to death or last contact, capped at the data cut-off (plain median).",
        ],
    )


def prior_agents(data: ReportData) -> Table:
    agents = data.prior_icb_agents
    names = sorted(set(agents["agent"])) if not agents.empty else []
    order = sorted(names, key=lambda a: (-int(agents[agents["agent"] == a]["n"].sum()), a))
    rows = []
    for agent in order:
        row = {"Checkpoint agent before HD IL-2": agent.replace("_", " ")}
        for disease in DISEASES:
            n = _n(data, disease, "prior_icb")
            hit = agents[(agents["disease"] == disease) & (agents["agent"] == agent)]
            row[f"{disease} {n_label(n)}"] = fmt_n_pct(0 if hit.empty else int(hit["n"].iloc[0]), n)
        rows.append(row)
    return Table(
        "prior_agents",
        "Prior checkpoint inhibitors (IL-2 after PD-1/PD-L1 cohort)",
        pd.DataFrame(
            rows,
            columns=[
                "Checkpoint agent before HD IL-2",
                *[f"{d} {n_label(_n(data, d, 'prior_icb'))}" for d in DISEASES],
            ],
        ),
        [
            "Patients may have had more than one agent, so columns can add up to more than N. "
            "“nivolumab plus ipilimumab” = patients given both in one regimen before day 1."
        ],
    )


def dosing(data: ReportData) -> Table:
    cols = groups(data)
    rows: list[dict[str, str]] = []
    dpc = data.doses_per_cycle
    cyc = data.cycles_received

    def with_cycle_data(disease: str, cohort: str) -> int:
        hit = cyc[
            (cyc["disease"] == disease) & (cyc["cohort"] == cohort) & (cyc["bucket"] != "not_available")
        ]
        return int(hit["n"].sum())

    def cycles_row(label: str, bucket: str) -> None:
        # % of the group's N, as the paper prints them (mM 8 of 40 = 20%, mRCC 2 of 17 = 12%).
        row = {"HD IL-2 dosing": label}
        for disease, cohort, n in cols:
            hit = cyc[(cyc["disease"] == disease) & (cyc["cohort"] == cohort) & (cyc["bucket"] == bucket)]
            row[group_label(disease, cohort, n)] = fmt_n_pct(0 if hit.empty else int(hit["n"].iloc[0]), n)
        rows.append(row)

    row = {"HD IL-2 dosing": "Doses per cycle, mean (SD)"}
    row_n = {"HD IL-2 dosing": "Cycles with ≥ 1 dose, n"}
    for disease, cohort, n in cols:
        hit = dpc[(dpc["disease"] == disease) & (dpc["cohort"] == cohort)]
        label = group_label(disease, cohort, n)
        if hit.empty:
            row[label], row_n[label] = DASH, "0"
        else:
            r = hit.iloc[0]
            row[label] = f"{fmt_number(r['mean'])} ({fmt_number(r['sd'])})"
            row_n[label] = str(int(r["n_cycles"]))
    rows.extend([row, row_n])
    row = {"HD IL-2 dosing": "Patients with cycle data, n (% of N)"}
    for disease, cohort, n in cols:
        row[group_label(disease, cohort, n)] = fmt_n_pct(with_cycle_data(disease, cohort), n)
    rows.append(row)
    for bucket, label in (("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("more_than_4", "> 4")):
        cycles_row(f"  Cycles received: {label}, n (%)", bucket)
    if not cyc[cyc["bucket"] == "0"].empty:
        cycles_row("  Cycles received: none with a dose, n (%)", "0")
    cycles_row("  Cycle data not available, n (%)", "not_available")
    return Table(
        "dosing",
        "HD IL-2 dosing",
        pd.DataFrame(rows),
        [
            "Doses per cycle pooled over every cycle with at least one dose given (sample SD). "
            "Cycles received: % of the group's N, as the paper gives them; patients without "
            "cycle records are “not available”, not zero."
        ],
    )


def stop_toxicities(data: ReportData) -> Table:
    tox = data.stop_toxicities
    cols = groups(data)
    terms: list[str] = []
    if not tox.empty:
        ranked = tox.groupby("toxicity_term")["n_patients"].sum().sort_values(ascending=False, kind="stable")
        prior = tox[tox["cohort"] == "prior_icb"].groupby("toxicity_term")["n_patients"].sum()
        terms = sorted(ranked.index, key=lambda t: (-int(prior.get(t, 0)), -int(ranked[t]), str(t)))
    rows = []
    for term in terms:
        row = {"Toxicity leading to stopping HD IL-2": str(term)}
        for disease, cohort, n in cols:
            hit = tox[
                (tox["disease"] == disease) & (tox["cohort"] == cohort) & (tox["toxicity_term"] == term)
            ]
            row[group_label(disease, cohort, n)] = fmt_n_pct(
                0 if hit.empty else int(hit["n_patients"].iloc[0]), n
            )
        rows.append(row)
    columns = ["Toxicity leading to stopping HD IL-2", *[group_label(d, c, n) for d, c, n in cols]]
    return Table(
        "stop_toxicities",
        "Toxicities that led to stopping HD IL-2, by preferred term",
        pd.DataFrame(rows, columns=columns),
        [
            "Patients with the toxicity recorded as a reason to stop at least one cycle, n (% of N); "
            "up to three toxicities per cycle. UNMAPPED = verbatim term not in the synonym list."
        ],
    )


def durability(data: ReportData) -> Table:
    dur = data.durability
    rows = []
    for cohort in COHORTS:
        for disease in DISEASES:
            for response in ("CR", "PR"):
                hit = dur[
                    (dur["disease"] == disease) & (dur["cohort"] == cohort) & (dur["response"] == response)
                ]
                if hit.empty:
                    n, progressed, continuing, fu = 0, 0, 0, DASH
                else:
                    r = hit.iloc[0]
                    n, progressed, continuing = int(r["n"]), int(r["progressed"]), int(r["continuing"])
                    fu = f"{fmt_number(r['follow_up_min'])}{DASH}{fmt_number(r['follow_up_max'])}"
                rows.append(
                    {
                        "Group": COHORT_LABELS[cohort],
                        "Disease": disease,
                        "Best response": RESPONSE_LABELS[response],
                        "Responders, n": str(n),
                        "Progressed or died by the data lock, n": str(progressed),
                        "Response continuing at the data lock, n": str(continuing),
                        "Follow-up, months (min–max)": fu,
                    }
                )
    return Table(
        "durability",
        "Durable responses at the data lock",
        pd.DataFrame(rows),
        [
            "Progressed = a duration-of-response event (progression, new anti-cancer therapy or "
            "death, as for PFS); continuing = censored at the data lock or last assessment."
        ],
        label_columns=3,
    )


COX_COLUMNS = {"disease", "endpoint", "hazard_ratio", "hr_ci_lower", "hr_ci_upper", "p_value"}
COX_HEADER = "Cox HR, after PD-1/PD-L1 vs alone (95% CI); p"


def has_standard_cox(data: ReportData) -> bool:
    return data.cox is not None and not data.cox.empty and COX_COLUMNS <= set(data.cox.columns)


def fmt_hazard_ratio(row: pd.Series) -> str:
    if is_missing(row["hazard_ratio"]):
        return DASH
    return f"{fmt_hr_ci(row)}; p {fmt_p(row['p_value']).replace('< ', '<')}"


def fmt_hr_ci(row: pd.Series) -> str:
    """HR (lower-upper) to three decimals, so that a limit next to 1 (0.998) agrees with its p."""
    if is_missing(row["hazard_ratio"]):
        return DASH
    return (
        f"{float(row['hazard_ratio']):.3f} ({fmt_number(row['hr_ci_lower'], 3)}{DASH}"
        f"{fmt_number(row['hr_ci_upper'], 3)})"
    )


def survival(data: ReportData) -> Table:
    summary = data.km_summary
    lr = data.logrank
    with_cox = has_standard_cox(data)
    rows = []
    for endpoint in ("OS", "PFS"):
        for disease in DISEASES:
            p_hit = lr[(lr["disease"] == disease) & (lr["endpoint"] == endpoint)] if not lr.empty else lr
            p_text = DASH if p_hit.empty else fmt_p(p_hit["p_value"].iloc[0])
            hr_text = DASH
            if with_cox:
                cox_hit = data.cox[(data.cox["disease"] == disease) & (data.cox["endpoint"] == endpoint)]
                hr_text = DASH if cox_hit.empty else fmt_hazard_ratio(cox_hit.iloc[0])
            for i, cohort in enumerate(COHORTS):
                hit = summary[
                    (summary["endpoint"] == endpoint)
                    & (summary["disease"] == disease)
                    & (summary["cohort"] == cohort)
                ]
                if hit.empty or int(hit["n"].iloc[0]) == 0:
                    n, events, median = "0", "0", DASH
                else:
                    r = hit.iloc[0]
                    n, events = str(int(r["n"])), str(int(r["n_events"]))
                    median = fmt_median_ci(r["median_months"], r["median_ci_lower"], r["median_ci_upper"])
                row = {
                    "Endpoint": ENDPOINT_LABELS[endpoint],
                    "Disease": disease,
                    "Group": COHORT_LABELS[cohort],
                    "N": n,
                    "Events": events,
                    "Median, months (95% CI)": median,
                    "Log-rank p": p_text if i == 0 else "",
                }
                if with_cox:
                    row[COX_HEADER] = hr_text if i == 0 else ""
                rows.append(row)
    conf = ""
    if not summary.empty and "conf_type" in summary.columns:
        kinds = sorted({str(k) for k in summary["conf_type"].dropna()})
        if kinds:
            conf = f" Median CI method: {', '.join(kinds)}."
    return Table(
        "survival",
        "Survival from the first HD IL-2 dose (Kaplan-Meier)",
        pd.DataFrame(rows),
        [
            "NR = not reached (the curve or its confidence limit never falls to 0.5). Log-rank: "
            "IL-2 after PD-1/PD-L1 against IL-2 alone, within each disease."
            + conf
            + (
                " Cox: hazard ratio of IL-2 after PD-1/PD-L1 relative to IL-2 alone (> 1 = higher "
                "hazard after prior PD-1/PD-L1), Wald 95% CI and p."
                if with_cox
                else ""
            )
        ],
        label_columns=3,
    )


def cox(data: ReportData) -> Table | None:
    """marts.cox in full (every endpoint, covariates, notes); generic when its columns are unknown."""
    if data.cox is None or data.cox.empty:
        return None
    if has_standard_cox(data):
        rows = []
        for r in data.cox.sort_values(["endpoint", "disease"]).itertuples(index=False):
            row = r._asdict()
            rows.append(
                {
                    "Endpoint": ENDPOINT_LABELS.get(row["endpoint"], row["endpoint"]),
                    "Disease": row["disease"],
                    "N": DASH if is_missing(row.get("n")) else str(int(row["n"])),
                    "Events": DASH if is_missing(row.get("n_events")) else str(int(row["n_events"])),
                    "HR (95% CI)": fmt_hr_ci(pd.Series(row)),
                    "p": fmt_p(row["p_value"]),
                    "Covariates": str(row.get("covariates") or "none"),
                    "Note": DASH if is_missing(row.get("note")) else str(row["note"]),
                }
            )
        return Table(
            "cox",
            "Cox proportional hazards: IL-2 after PD-1/PD-L1 relative to IL-2 alone",
            pd.DataFrame(rows),
            ["Hazard ratio > 1 = higher hazard after prior PD-1/PD-L1; Wald 95% CI and p."],
            label_columns=2,
        )
    frame = data.cox.copy()
    labels = 0
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            break
        labels += 1
    for column in frame.columns:
        is_p_value = str(column).lower().startswith("p")
        frame[column] = [
            DASH
            if is_missing(v)
            else (fmt_p(v) if is_p_value else f"{v:.3g}")
            if isinstance(v, float)
            else str(v)
            for v in frame[column]
        ]
    return Table(
        "cox", "Cox proportional hazards (as written by the survival step)", frame, [], max(labels, 1)
    )


def immune_related(data: ReportData) -> Table:
    """marts.immune_related_toxicity: by the site's flag and by the preferred term, side by side."""
    ir = data.immune_related
    rows = []
    for disease, cohort, n in groups(data):
        hit = ir[(ir["disease"] == disease) & (ir["cohort"] == cohort)] if not ir.empty else ir
        r = None if hit.empty else hit.iloc[0]

        def count(column: str, r: pd.Series | None = r) -> int:
            return 0 if r is None else int(r[column])

        rows.append(
            {
                "Group": group_label(disease, cohort, n),
                "Flagged by the site: patients, n (%)": fmt_n_pct(count("n_patients_flagged"), n),
                "Flagged: grade ≥ 3, n (%)": fmt_n_pct(count("n_patients_flagged_grade3plus"), n),
                "Immune-related term: patients, n (%)": fmt_n_pct(count("n_patients_term"), n),
                "Term: grade ≥ 3, n (%)": fmt_n_pct(count("n_patients_term_grade3plus"), n),
                "Events with the flag not recorded / all events": (
                    f"{count('n_events_flag_not_recorded')} / {count('n_events')}"
                ),
            }
        )
    notes = [
        "Two definitions (docs/marts.md, “Immune-related adverse events”). Flagged = the site "
        "marked the event immune related on the AE form (is_immune_related): what the sites "
        "recorded, the paper's “autoimmune toxicities”; a flag left blank is not recorded, not "
        "“no”. Immune-related term = the preferred term is an immune-related one in the "
        "terminology (is_immune_related_term): known for every mapped event, so use it to count "
        "immune-related toxicity (e.g. grade ≥ 3 per cohort)."
    ]
    cases = data.pneumonitis
    for case in cases.itertuples(index=False):
        doses = (
            ""
            if is_missing(case.doses_given)
            else f"after {int(case.doses_given)} of {int(case.doses_planned)} planned doses in that cycle, "
        )
        notes.append(
            f"Pneumonitis, {case.disease}, {case.prior_icb_agents or 'agent not recorded'}: onset on "
            f"treatment day {int(case.treatment_day_of_onset)} (day 1 = first dose), grade "
            f"{DASH if is_missing(case.ctcae_grade) else int(case.ctcae_grade)}, "
            f"{doses}"
            f"steroids: {yes_no(case.is_treated_with_steroids)}, flagged immune-related: "
            f"{yes_no(case.is_immune_related)}."
        )
    return Table("immune_related", "Immune-related toxicity", pd.DataFrame(rows), notes)


def all_tables(data: ReportData) -> list[Table]:
    tables = [
        table_1(data),
        table_1(data, "il2_alone"),
        objective_response(data),
        characteristics(data),
        prior_agents(data),
        dosing(data),
        stop_toxicities(data),
        immune_related(data),
        durability(data),
        survival(data),
    ]
    cox_table = cox(data)
    if cox_table is not None:
        tables.append(cox_table)
    from il2_registry.report.sites import site_scorecard  # its own module: sections stay modular

    site_table = site_scorecard(data)
    if site_table is not None:
        tables.append(site_table)
    return tables
