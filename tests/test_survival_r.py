"""The survival step against R itself: R's survival package is run here on the same data.

R comes from Debian (`make r`, a prerequisite of `make test`, installs r-base-core and
r-cran-survival when missing). Data: the NCCTG lung data as R ships it (`survival::lung`;
lifelines ships the same 228 rows, recoding status 2 = death to 1), and the paper
warehouse's `marts.survival`, written to CSV and read by R.

Cox: R's defaults stop when the log-likelihood changes by less than 1e-9 (relative), up to
~3e-7 (relative) short of the maximum on these data; with `eps = 1e-12, toler.chol = 1e-15`
R reaches the maximum, and there the hazard ratios, limits and p-values must agree to 1e-8.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung

from il2_registry.survival.at_times import survival_at_times
from il2_registry.survival.cox import hazard_ratio
from il2_registry.survival.km import fit_kaplan_meier
from il2_registry.survival.median import median_with_ci
from il2_registry.survival.tables import DAYS_PER_MONTH

PROJECT_ROOT = Path(__file__).resolve().parents[1]
R_TIGHT = "coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)"
R_CONF_TYPES = {"log": "log", "log-log": "log-log", "plain": "plain"}


@pytest.fixture(scope="session")
def rscript() -> str:
    """Rscript with the survival package, installed by the Makefile's `r` target when missing."""
    found = shutil.which("Rscript")
    if found is None:
        result = subprocess.run(["make", "-C", str(PROJECT_ROOT), "r"], text=True, capture_output=True)
        found = shutil.which("Rscript")
        assert found, f"`make r` did not install R:\n{result.stdout}\n{result.stderr}"
    return found


def run_r(rscript: str, code: str, data: pd.DataFrame | None = None, tmp: Path | None = None) -> pd.DataFrame:
    """Run R code that ends by writing a data frame `out` as CSV to stdout; `data` (if given)
    is readable in R as `d`. Numbers are printed with 17 significant digits."""
    prelude = "suppressPackageStartupMessages(library(survival)); options(digits = 17)\n"
    if data is not None:
        assert tmp is not None
        path = tmp / "data.csv"
        data.to_csv(path, index=False)
        prelude += f'd <- read.csv("{path}", stringsAsFactors = FALSE)\n'
    write = "write.csv(format(out, digits = 17), stdout(), row.names = FALSE, quote = FALSE)"
    script = f"{prelude}{code}\n{write}\n"
    result = subprocess.run([rscript, "-e", script], text=True, capture_output=True)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), skipinitialspace=True, na_values=["NA"])


def r_cox_rows(formula: str, data: str, control: str) -> str:
    return f"""
s <- summary(suppressWarnings(coxph({formula}, data = {data}, ties = "efron", control = {control})))
out <- data.frame(hr = s$conf.int[1, 1], lower = s$conf.int[1, 3], upper = s$conf.int[1, 4],
                  p = s$coefficients[1, 5], n = s$n, events = s$nevent)"""


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    return load_lung()


@pytest.mark.parametrize("adjust", [[], ["age"], ["age", "ph.ecog"]])
def test_lung_cox_equals_r(rscript, lung, adjust):
    formula = " + ".join(["Surv(time, status) ~ sex", *adjust])
    frame = lung.dropna(subset=adjust) if adjust else lung
    got = hazard_ratio(
        frame["time"], frame["status"], (frame["sex"] == 2).astype(int), frame[adjust] if adjust else None
    )
    ours = np.array([got.hazard_ratio, got.hr_ci_lower, got.hr_ci_upper, got.p_value])
    converged = run_r(rscript, r_cox_rows(formula, "lung", R_TIGHT)).iloc[0]
    assert (got.n, got.n_events) == (converged["n"], converged["events"])
    np.testing.assert_allclose(ours, converged[["hr", "lower", "upper", "p"]].to_numpy(float), rtol=1e-8)
    default = run_r(rscript, r_cox_rows(formula, "lung", "coxph.control()")).iloc[0]
    np.testing.assert_allclose(ours, default[["hr", "lower", "upper", "p"]].to_numpy(float), rtol=1e-6)


@pytest.mark.parametrize("conf_type", list(R_CONF_TYPES))
def test_lung_survival_at_times_and_median_equal_r(rscript, lung, conf_type):
    times = [0, 90, 180, 365, 730]
    expected = run_r(
        rscript,
        f"""
fit <- survfit(Surv(time, status) ~ sex, data = lung, conf.type = "{R_CONF_TYPES[conf_type]}")
s <- summary(fit, times = c({", ".join(map(str, times))}))
q <- quantile(fit, 0.5)
out <- data.frame(sex = as.integer(sub("sex=", "", as.character(s$strata))), time = s$time,
                  n_at_risk = s$n.risk, n_events = s$n.event, survival = s$surv,
                  std_err = s$std.err, ci_lower = s$lower, ci_upper = s$upper,
                  median = q$quantile[as.character(s$strata), 1],
                  median_lower = q$lower[as.character(s$strata), 1],
                  median_upper = q$upper[as.character(s$strata), 1])""",
    )
    for sex, rows in expected.groupby("sex"):
        group = lung[lung["sex"] == sex]
        curve = fit_kaplan_meier(group["time"].to_numpy(float), group["status"].to_numpy(int))
        got = survival_at_times(curve, rows["time"].tolist(), conf_type)
        columns = ["n_at_risk", "n_events", "survival", "std_err", "ci_lower", "ci_upper"]
        got_values = got[columns].to_numpy(float)
        expected_values = rows[columns].to_numpy(float)
        np.testing.assert_allclose(got_values, expected_values, rtol=1e-10)
        median = median_with_ci(curve, conf_type)
        first = rows.iloc[0]
        assert (median.median, median.ci_lower, median.ci_upper) == (
            first["median"],
            first["median_lower"],
            first["median_upper"],
        )


@pytest.fixture(scope="module")
def paper_survival(paper_warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        survival = con.sql(
            "select disease, endpoint, cohort, time_days, event from marts.survival order by all"
        ).df()
        cox = con.sql("from marts.cox order by disease, endpoint").df()
        summary = con.sql("from marts.km_summary order by disease, endpoint, cohort").df()
    return survival, cox, summary


def test_paper_warehouse_cox_equals_r(rscript, paper_survival, tmp_path):
    survival, cox, _ = paper_survival
    expected = run_r(
        rscript,
        f"""
d$exposed <- as.integer(d$cohort == "prior_icb")
rows <- list()
for (dis in unique(d$disease)) for (ep in unique(d$endpoint)) {{
  s <- d[d$disease == dis & d$endpoint == ep, ]
  if (sum(s$event[s$exposed == 1]) == 0 || sum(s$event[s$exposed == 0]) == 0) next
  f <- summary(coxph(Surv(time_days, event) ~ exposed, data = s, ties = "efron", control = {R_TIGHT}))
  rows[[length(rows) + 1]] <- data.frame(disease = dis, endpoint = ep, n = f$n, events = f$nevent,
      hr = f$conf.int[1, 1], lower = f$conf.int[1, 3], upper = f$conf.int[1, 4], p = f$coefficients[1, 5])
}}
out <- do.call(rbind, rows)""",
        survival,
        tmp_path,
    )
    estimated = cox.dropna(subset=["hazard_ratio"])
    # Five of the six fit (mRCC DoR has no prior_icb event: not estimable, see docs/survival.md).
    assert len(expected) == len(estimated) == 5
    merged = estimated.merge(expected, on=["disease", "endpoint"], validate="one_to_one")
    assert (merged["n_x"] == merged["n_y"]).all() and (merged["n_events"] == merged["events"]).all()
    np.testing.assert_allclose(
        merged[["hazard_ratio", "hr_ci_lower", "hr_ci_upper", "p_value"]].to_numpy(float),
        merged[["hr", "lower", "upper", "p"]].to_numpy(float),
        rtol=1e-8,
    )


def test_paper_warehouse_medians_equal_r(rscript, paper_survival, tmp_path):
    survival, _, summary = paper_survival
    expected = run_r(
        rscript,
        """
rows <- list()
for (key in unique(paste(d$disease, d$endpoint, d$cohort))) {
  s <- d[paste(d$disease, d$endpoint, d$cohort) == key, ]
  q <- quantile(survfit(Surv(time_days, event) ~ 1, data = s, conf.type = "log-log"), 0.5)
  parts <- strsplit(key, " ")[[1]]
  rows[[length(rows) + 1]] <- data.frame(disease = parts[1], endpoint = parts[2], cohort = parts[3],
      median = q$quantile, lower = q$lower, upper = q$upper)
}
out <- do.call(rbind, rows)""",
        survival,
        tmp_path,
    )
    merged = summary.merge(expected, on=["disease", "endpoint", "cohort"], validate="one_to_one")
    assert len(merged) == len(expected) > 0
    ours = merged[["median_months", "median_ci_lower", "median_ci_upper"]].to_numpy(float)
    r_months = merged[["median", "lower", "upper"]].to_numpy(float) / DAYS_PER_MONTH
    np.testing.assert_allclose(ours, r_months, rtol=1e-12, equal_nan=True)


def test_km_cli_times_equal_r(rscript, lung, tmp_path):
    # `il2reg km --times` as an analyst types it, against R's summary(fit, times = ) (log band).
    path = tmp_path / "lung.csv"
    lung.to_csv(path, index=False)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "il2reg"), "km", "--csv", str(path), "--time", "time",
         "--event", "status", "--group", "sex", "--conf-type", "log", "--times", "100,200,400", "--json"],
        text=True, capture_output=True, check=True,
    )  # fmt: skip
    got = pd.DataFrame(json.loads(result.stdout)["at_times"])
    expected = run_r(
        rscript,
        """
s <- summary(survfit(Surv(time, status) ~ sex, data = lung), times = c(100, 200, 400))
out <- data.frame(group = as.integer(sub("sex=", "", as.character(s$strata))), time = s$time,
                  n_at_risk = s$n.risk, n_events = s$n.event, survival = s$surv, std_err = s$std.err,
                  ci_lower = s$lower, ci_upper = s$upper)""",
    )
    assert len(got) == len(expected) == 6
    columns = ["group", "time", "n_at_risk", "n_events", "survival", "std_err", "ci_lower", "ci_upper"]
    np.testing.assert_allclose(got[columns].to_numpy(float), expected[columns].to_numpy(float), rtol=1e-10)
