"""Time and peak memory of the survival step (the four tables of models/marts/survival_estimates).

Input: marts.survival from a warehouse (`--warehouse PATH`), or, by default, a synthetic frame
of the same shape for `--patients N` patients (OS and PFS for everyone, DoR for ~25%, times in
whole days over ~10 years, with ties and censoring as in the registry). Prints one line per
step: seconds, rows out, and the peak RSS (resident memory) of this process so far.
Run once; it is a measurement, not a test:  .venv/bin/python benchmarks/bench_survival.py
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from il2_registry.survival.tables import cox_models, km_curves, km_summary, logrank_tests


def synthetic_survival(patients: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    disease = np.where(rng.random(patients) < 0.6, "mM", "mRCC")
    cohort = np.where(rng.random(patients) < 0.05, "prior_icb", "il2_alone")
    ids = np.char.add("P", np.arange(patients).astype(str))
    frames = []
    for endpoint, scale_days, share in (("OS", 600.0, 1.0), ("PFS", 120.0, 1.0), ("DOR", 400.0, 0.25)):
        keep = rng.random(patients) < share
        n = int(keep.sum())
        event_days = rng.exponential(scale_days, n)
        censor_days = rng.uniform(0, 3650, n)
        frames.append(
            pd.DataFrame(
                {
                    "patient_id": ids[keep],
                    "disease": disease[keep],
                    "cohort": cohort[keep],
                    "endpoint": endpoint,
                    "time_days": np.floor(np.minimum(event_days, censor_days)).astype(np.int64),
                    "event": (event_days <= censor_days).astype(np.int64),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def read_warehouse(path: Path) -> pd.DataFrame:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return con.sql(
            "select patient_id, disease, cohort, endpoint, time_days, event from marts.survival"
        ).df()


def count_rows(survival: pd.DataFrame) -> pd.DataFrame:
    import duckdb

    keys = "disease, cohort, endpoint, time_days, event"
    return duckdb.sql(f"select {keys}, count(*) as n_patients from survival group by {keys}").df()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed(label: str, step: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    start = time.perf_counter()
    out = step()
    seconds = time.perf_counter() - start
    print(f"{label:<12} {seconds:8.2f} s  {len(out):>9,} rows  peak RSS {peak_rss_mb():8.0f} MB", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--warehouse", type=Path, default=None, help="read marts.survival from here")
    parser.add_argument("--conf-type", default="log-log")
    parser.add_argument("--skip-cox", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    if args.warehouse:
        survival = timed("read", lambda: read_warehouse(args.warehouse))
    else:
        survival = timed("synthesise", lambda: synthetic_survival(args.patients))
    print(f"input: {survival['patient_id'].nunique():,} patients, {len(survival):,} rows", flush=True)
    # As the dbt models do: count patients per group, day and event flag in DuckDB first.
    counted = timed("count", lambda: count_rows(survival))
    curves = timed("km_curves", lambda: km_curves(counted, args.conf_type))
    timed("km_summary", lambda: km_summary(curves, args.conf_type))
    timed("logrank", lambda: logrank_tests(counted))
    if not args.skip_cox:
        timed("cox", lambda: cox_models(survival))
    print(f"total {time.perf_counter() - start:.2f} s; peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
