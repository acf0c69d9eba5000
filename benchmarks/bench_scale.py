"""A full `dbt build` at 100,000 and 1,000,000 patients against its limits, in one run.

For each extract (`il2reg generate --profile scale --seed 7 --patients N`, generated once into
--work and reused; or given with --extract-100k / --extract-1m):
- scan: one DuckDB pass reading every column of every file (count and max length per column,
  all_varchar), the floor any build pays;
- pandas: the peer, a user's first derivations by hand (read every file used, type the dates,
  de-duplicate patients by last_modified, initial response and BOR from the assessments);
- build: the project's `dbt build` (extract check, staging, core, marts, survival, every test,
  publish) into a private warehouse.
Each step runs in a child process; reported: wall, CPU (user + system) and the peak RSS of the
whole process tree (the sum of the RSS of every live descendant, sampled every 0.2 s), the
per-layer thread-seconds and the 10 slowest nodes (run_results.json), the ratios build/scan
and build/pandas, and time per patient. Load averages are printed before and after: on a
shared machine only ratios measured in one run are comparable. Last line:
`scale: 1000000 patients, build X s = R x scan (S s), peak P GB`.

    .venv/bin/python benchmarks/bench_scale.py --work /tmp/il2-scale
    .venv/bin/python benchmarks/bench_scale.py --extract-100k /work/scale/extract_100k \
        --extract-1m /work/scale/extract_1m --work /tmp/il2-scale
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SEED = 7
SIZES = (100_000, 1_000_000)

SCAN_CHILD = """
import sys, duckdb
from pathlib import Path
con = duckdb.connect()
for path in sorted(Path(sys.argv[1]).glob('*.csv')):
    options = "all_varchar = true, header = true, delim = ',', quote = '\\"', escape = '\\"'"
    reader = f"read_csv('{path}', {options})"
    columns = [r[0] for r in con.execute(f'describe select * from {reader}').fetchall()]
    lengths = ', '.join(f'max(length("{c}"))' for c in columns)
    con.execute(f'select count(*), {lengths} from {reader}').fetchall()
"""

# The peer: what a user writes by hand for the first derivations (no rejects, audit or tests).
PANDAS_CHILD = """
import sys
import pandas as pd
from pathlib import Path
folder = Path(sys.argv[1])
frames = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder.glob('*.csv'))}
def date(series):
    iso = pd.to_datetime(series, format='%Y-%m-%d', errors='coerce')
    us = pd.to_datetime(series, format='%m/%d/%Y', errors='coerce')
    return iso.fillna(us)
patients = frames['patients']
def stamp(series):
    return pd.to_datetime(series.str.replace('T', ' '), errors='coerce', format='mixed')
patients['last_modified'] = stamp(patients['last_modified'])
patients = patients.sort_values(['patient_id', 'last_modified']).drop_duplicates('patient_id', keep='last')
doses = frames['il2_doses']
doses['admin_datetime'] = stamp(doses['admin_datetime'])
day1 = doses.groupby('patient_id')['admin_datetime'].min().dt.normalize().rename('day1')
assessments = frames['tumor_assessments']
assessments['assessment_date'] = date(assessments['assessment_date'])
assessments = assessments.merge(day1, left_on='patient_id', right_index=True)
assessments = assessments[assessments['assessment_date'] > assessments['day1']]
order = {'CR': 0, 'PR': 1, 'SD': 2, 'PD': 3, 'NE': 4}
assessments['rank'] = assessments['overall_response'].str.upper().map(order)
initial = assessments.sort_values(['patient_id', 'assessment_date']).groupby('patient_id').head(1)
best = assessments.groupby('patient_id')['rank'].min()
print(len(patients), len(day1), len(initial), len(best))
"""


def process_tree_rss(root: int) -> int:
    """Sum of the RSS (bytes) of `root` and every live descendant (Linux /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_measured(command: list[str], log: Path, env: dict[str, str] | None = None) -> dict:
    """Run `command`; wall, CPU of the process tree and its sampled peak RSS."""
    peak = 0
    started = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, process_tree_rss(child.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({code}); see {log}")
    # ru_maxrss of the direct child is a floor for the tree's peak (it may peak between samples).
    peak = max(peak, usage.ru_maxrss * 1024)
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_bytes": peak}


def ensure_extract(given: Path | None, work: Path, patients: int) -> Path:
    out = given or work / f"extract_{patients}"
    if not (out / "manifest.json").is_file():
        print(f"  generating {out} ({patients} patients, seed {SEED})", flush=True)
        subprocess.run(
            [
                str(VENV_BIN / "il2reg"),
                "generate",
                "--profile",
                "scale",
                "--patients",
                str(patients),
                "--seed",
                str(SEED),
                "--out",
                str(out),
            ],
            check=True,
        )
    return out


def layer_of(unique_id: str) -> str:
    kind, _, name = unique_id.split(".", 2)
    if kind == "operation":
        return "hooks (extract check, publish)"
    if kind in ("test", "unit_test"):
        return "tests"
    if kind == "seed":
        return "seeds"
    model = name.split(".", 1)[-1]
    for prefix, layer in (("stg_", "staging"), ("int_", "intermediate"), ("dim_", "core"), ("fct_", "core")):
        if model.startswith(prefix):
            return layer
    return "marts and audit"


def node_times(run_results: Path) -> tuple[dict[str, float], list[tuple[float, str]]]:
    results = json.loads(run_results.read_text())["results"]
    layers: dict[str, float] = defaultdict(float)
    for result in results:
        layers[layer_of(result["unique_id"])] += result["execution_time"]
    slowest = sorted(((r["execution_time"], r["unique_id"]) for r in results), reverse=True)[:10]
    return dict(layers), slowest


def _figures(measured: dict) -> str:
    """One step's figures as they come in (a long run shows progress; the summary repeats them)."""
    return (
        f"{measured['seconds']:7.1f} s wall, {measured['cpu_seconds']:7.1f} s CPU, "
        f"peak {measured['peak_bytes'] / 1e9:5.2f} GB, load {os.getloadavg()[0]:.1f}"
    )


def measure(extract: Path, work: Path, patients: int) -> dict:
    run_dir = work / f"run_{patients}"
    run_dir.mkdir(parents=True, exist_ok=True)
    python = str(VENV_BIN / "python")
    print(f"\n== {patients} patients: {extract}", flush=True)
    scan = run_measured([python, "-c", SCAN_CHILD, str(extract)], run_dir / "scan.txt")
    print(f"  scan   {_figures(scan)}", flush=True)
    peer = run_measured([python, "-c", PANDAS_CHILD, str(extract)], run_dir / "pandas.txt")
    print(f"  pandas {_figures(peer)}", flush=True)
    env = {
        **os.environ,
        "IL2_WAREHOUSE": str(run_dir / "il2_registry.duckdb"),
        "IL2_PROJECT_ROOT": str(PROJECT_ROOT),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    dbt = [
        str(VENV_BIN / "dbt"),
        "build",
        "--vars",
        json.dumps({"extract_dir": str(extract.resolve())}),
        "--target-path",
        str(run_dir / "target"),
        "--log-path",
        str(run_dir / "logs"),
    ]
    build = run_measured(dbt, run_dir / "dbt_output.txt", env)
    print(f"  build  {_figures(build)}", flush=True)
    layers, slowest = node_times(run_dir / "target" / "run_results.json")
    return {
        "patients": patients,
        "scan": scan,
        "pandas": peer,
        "build": build,
        "layers": layers,
        "slowest": slowest,
    }


def report(result: dict) -> None:
    patients, scan, peer, build = result["patients"], result["scan"], result["pandas"], result["build"]
    print(f"\n{patients} patients")
    print(f"  {'step':8} {'wall s':>8} {'CPU s':>8} {'peak GB':>8}")
    for name in ("scan", "pandas", "build"):
        m = result[name]
        print(f"  {name:8} {m['seconds']:8.1f} {m['cpu_seconds']:8.1f} {m['peak_bytes'] / 1e9:8.2f}")
    print(f"  build / scan   {build['seconds'] / scan['seconds']:6.1f} x")
    print(f"  build / pandas {build['seconds'] / peer['seconds']:6.2f} x")
    print(f"  build per patient {build['seconds'] / patients * 1e6:8.1f} us")
    print("  thread-seconds per layer:")
    for layer, seconds in sorted(result["layers"].items(), key=lambda item: -item[1]):
        print(f"    {layer:32} {seconds:7.1f}")
    print("  10 slowest nodes:")
    for seconds, unique_id in result["slowest"]:
        print(f"    {seconds:7.1f}  {unique_id}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/il2-bench-scale"))
    parser.add_argument("--extract-100k", type=Path)
    parser.add_argument("--extract-1m", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    given = {100_000: args.extract_100k, 1_000_000: args.extract_1m}
    extracts = {n: ensure_extract(given[n], args.work, n) for n in SIZES}
    load_before = os.getloadavg()
    results = [measure(extracts[n], args.work, n) for n in SIZES]
    load_after = os.getloadavg()
    print(f"\n{os.cpu_count()} cores; load average (1, 5, 15 min) before {load_before}, after {load_after}")
    for result in results:
        report(result)
    small, large = results
    per_small = small["build"]["seconds"] / small["patients"]
    per_large = large["build"]["seconds"] / large["patients"]
    print(f"\ntime per patient at 1M / at 100k: {per_large / per_small:.2f}")
    build, scan = large["build"], large["scan"]
    print(
        f"scale: {large['patients']} patients, build {build['seconds']:.0f} s = "
        f"{build['seconds'] / scan['seconds']:.1f} x scan ({scan['seconds']:.1f} s), "
        f"peak {build['peak_bytes'] / 1e9:.2f} GB"
    )


if __name__ == "__main__":
    main()
