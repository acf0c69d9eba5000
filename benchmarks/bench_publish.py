"""Cost of publishing a build (copy, rewrite without staging/intermediate, check, rename).

Makes a synthetic build file shaped like a warehouse of N patients (staging tables with a
PHI column, intermediate, core facts, marts), then times `il2_registry.publish.publish` on it
and prints the figures. Usage: python benchmarks/bench_publish.py [--patients N] [--out DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

import duckdb

from il2_registry.publish import build_path_for, publish


def make_build_file(build: Path, patients: int) -> None:
    con = duckdb.connect(str(build))
    for schema in ("staging", "intermediate", "core", "marts", "audit"):
        con.execute(f"create schema {schema}")
    # The dose log and follow-up dominate a real build: about 8 rows per patient.
    for i in range(10):
        rows = patients * (8 if i < 4 else 1)
        con.execute(
            f"create table staging.stg_{i} as select r as patient_id, 'MRN' || r as mrn, r % 97 as code, "
            f"date '2010-01-01' + (r % 3000)::int as d, 'free text ' || (r * 7919 % 100003) as note "
            f"from range({rows}) t(r)"
        )
    for i in range(6):
        con.execute(f"create table intermediate.int_{i} as select patient_id, code, d from staging.stg_{i}")
    for i in range(8):
        con.execute(
            f"create table core.fct_{i} as select patient_id, code, d, random() as x from staging.stg_{i}"
        )
    con.execute("create table marts.cohort as select patient_id, code, d from staging.stg_9")
    con.execute(
        "create table marts.survival as select patient_id, 'OS' as endpoint, random() * 60 as months "
        "from staging.stg_9 union all select patient_id, 'PFS', random() * 60 from staging.stg_9"
    )
    con.execute("create table audit.reconciliation as select 'x.csv' as file, 1 as rows_in_file")
    con.execute("checkpoint")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/il2-bench-publish"))
    args = parser.parse_args()

    published = args.out / "il2_registry.duckdb"
    build = build_path_for(published)
    shutil.rmtree(args.out, ignore_errors=True)
    build.parent.mkdir(parents=True)
    started = time.perf_counter()
    make_build_file(build, args.patients)
    print(f"build file: {build.stat().st_size / 1e6:.0f} MB, made in {time.perf_counter() - started:.1f} s")
    result = publish(build)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"publish: {result.seconds:.2f} s; published {result.bytes / 1e6:.0f} MB, "
        f"{result.tables} tables, {result.rows:,} rows; peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
