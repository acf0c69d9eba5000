"""Benchmark `il2reg generate --profile scale`: time, peak memory, rows and bytes per file.

    .venv/bin/python benchmarks/bench_generator.py --patients 1000000 [--out /tmp/il2_bench]

Prints figures only; nothing is asserted (speed is measured here, never in tests).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from il2_registry.generator.api import generate_extract, stderr_progress


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--messy", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: up to 2)")
    parser.add_argument(
        "--out", type=Path, default=None, help="keep the extract here (default: a temp folder)"
    )
    args = parser.parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="il2_bench_"))
    out = base / "extract"
    started = time.perf_counter()
    manifest = generate_extract(
        out,
        profile="scale",
        seed=args.seed,
        patients=args.patients,
        messy=args.messy,
        progress=stderr_progress,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = cpu.ru_utime + cpu.ru_stime + children.ru_utime + children.ru_stime
    print(f"patients          {args.patients:,}")
    print(f"messy rate        {args.messy}")
    print(f"workers           {args.workers or 'default (up to 2)'}")
    print(f"elapsed           {elapsed:.1f} s")
    print(f"patients / second {args.patients / elapsed:,.0f}")
    print(f"CPU time          {cpu_seconds:.1f} s (all processes)")
    print(f"peak RSS          {peak_mib:,.0f} MiB (main), {worker_peak_mib:,.0f} MiB (largest worker)")
    total_rows = total_bytes = 0
    print(f"{'file':<26}{'rows':>14}{'MiB':>10}")
    for name, entry in sorted(manifest["files"].items()):
        size = (out / name).stat().st_size
        total_rows += entry["rows"]
        total_bytes += size
        print(f"{name:<26}{entry['rows']:>14,}{size / 2**20:>10.1f}")
    print(f"{'total':<26}{total_rows:>14,}{total_bytes / 2**20:>10.1f}")
    (base / "bench.json").write_text(
        json.dumps(
            {
                "patients": args.patients,
                "seconds": elapsed,
                "peak_rss_mib": peak_mib,
                "worker_peak_rss_mib": worker_peak_mib,
                "cpu_seconds": cpu_seconds,
                "rows": total_rows,
                "bytes": total_bytes,
            },
            indent=2,
        )
    )
    if args.out is None:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
