"""Wall and CPU time of the extract check on given extracts: the checks that stop a build (what
the on-run-start hook runs) and the whole `il2reg extract check` (plus the code and date-style
scans). Prints the load average beside the figures, since the machine is shared. A measurement,
not a test:

    .venv/bin/python benchmarks/bench_extract_check.py data/extract /work/scale/extract_100k
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from il2_registry.extract_check import check_extract


def measure(extract: Path, *, values: bool) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = check_extract(extract, values=values)
    return time.perf_counter() - wall, time.process_time() - cpu, len(report.problems)


def main(paths: list[str]) -> None:
    for path in map(Path, paths):
        files = sum(1 for _ in path.glob("*.csv"))
        size = sum(p.stat().st_size for p in path.glob("*.csv")) / 1e6
        for values in (False, True):
            wall, cpu, problems = measure(path, values=values)
            mode = "whole check" if values else "build-stopping checks (hook)"
            print(
                f"{path} ({files} files, {size:.0f} MB) {mode}: wall {wall:.1f} s, CPU {cpu:.1f} s, "
                f"{problems} problem(s); load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main(sys.argv[1:] or ["data/extract"])
