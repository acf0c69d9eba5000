"""Time and peak memory of `dbt build` (the whole project) on the paper extract and at scale.

For each extract: generate it (once; kept in --work), run `dbt build` against a private
warehouse, and print the wall time, the peak RSS of the dbt process (DuckDB runs inside it),
the rows read and the time spent per layer (staging, intermediate, core, audit, marts; from
target/run_results.json) with the slowest models. The extract check (SHA-256 and row counts
of every file) is the on-run-start hook and is reported separately.
Run once; it is a measurement, not a test:

    .venv/bin/python benchmarks/bench_dbt_build.py                      # paper + 1,000,000 patients
    .venv/bin/python benchmarks/bench_dbt_build.py --patients 100000    # smaller scale run
    .venv/bin/python benchmarks/bench_dbt_build.py --skip-scale
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PAPER_SEED = 20180331


def generate(out: Path, *args: str) -> float:
    """Generate an extract unless it is already there; seconds spent (0 when reused)."""
    if (out / "manifest.json").is_file():
        print(f"  extract {out} exists, reused", flush=True)
        return 0.0
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "il2reg"), "generate", *args, "--out", str(out)], check=True)
    return time.perf_counter() - started


def run_build(extract: Path, work: Path) -> dict:
    """`dbt build` in a child process; wall seconds and the child's own peak RSS."""
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "IL2_WAREHOUSE": str(work / "il2_registry.duckdb"),
        "IL2_PROJECT_ROOT": str(PROJECT_ROOT),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(VENV_BIN / "dbt"),
        "build",
        "--vars",
        json.dumps({"extract_dir": str(extract.resolve())}),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    started = time.perf_counter()
    with (work / "dbt_output.txt").open("w") as log:
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "exit_status": os.waitstatus_to_exitcode(status),
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux: kilobytes
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "run_results": work / "target" / "run_results.json",
        "output": work / "dbt_output.txt",
    }


def layer_of(unique_id: str, path_hint: str) -> str:
    if unique_id.startswith("operation."):
        return "hooks (extract check, publish)"
    if unique_id.startswith(("test.", "unit_test.")):
        return "tests"
    if unique_id.startswith("seed."):
        return "seeds"
    for layer in ("staging", "intermediate", "core", "audit", "marts"):
        if f"models/{layer}/" in path_hint or f".{layer}." in path_hint:
            return layer
    return "other"


def per_layer(run_results: Path, manifest: Path) -> tuple[dict[str, float], list[tuple[float, str]]]:
    results = json.loads(run_results.read_text())["results"]
    nodes = json.loads(manifest.read_text())["nodes"] if manifest.is_file() else {}
    layers: dict[str, float] = defaultdict(float)
    models: list[tuple[float, str]] = []
    for result in results:
        unique_id = result["unique_id"]
        path = nodes.get(unique_id, {}).get("original_file_path", "")
        layers[layer_of(unique_id, path)] += result["execution_time"]
        if unique_id.startswith("model."):
            models.append((result["execution_time"], unique_id.split(".")[-1]))
    return dict(layers), sorted(models, reverse=True)


def rows_in(extract: Path) -> int:
    manifest = json.loads((extract / "manifest.json").read_text())
    return sum(entry["rows"] for entry in manifest["files"].values())


def measure(label: str, extract: Path, work: Path) -> None:
    size_mb = sum(p.stat().st_size for p in extract.glob("*.csv")) / 1e6
    print(f"\n== {label}: {rows_in(extract):,} rows, {size_mb:,.0f} MB of CSV ({extract})", flush=True)
    result = run_build(extract, work)
    print(
        f"  dbt build: {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU, "
        f"peak RSS {result['peak_rss_mb']:,.0f} MB, exit status {result['exit_status']}"
    )
    if result["exit_status"] != 0:
        print(f"  FAILED, see {result['output']}")
    if result["run_results"].is_file():
        layers, models = per_layer(result["run_results"], work / "target" / "manifest.json")
        for layer, seconds in sorted(layers.items(), key=lambda item: -item[1]):
            print(f"  {layer:<32} {seconds:8.1f} s (sum of node times)")
        print("  slowest models: " + ", ".join(f"{name} {seconds:.1f} s" for seconds, name in models[:8]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/il2_bench_dbt_build"))
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    paper = args.work / "paper_extract"
    seconds = generate(paper, "--profile", "paper", "--seed", str(PAPER_SEED))
    print(f"paper extract generated in {seconds:.1f} s", flush=True)
    measure("paper profile (1,179 patients)", paper, args.work / "paper_build")

    if not args.skip_scale:
        scale = args.work / f"scale_{args.patients}_extract"
        seconds = generate(scale, "--profile", "scale", "--patients", str(args.patients), "--seed", "1")
        print(f"scale extract generated in {seconds:.1f} s", flush=True)
        measure(
            f"scale profile ({args.patients:,} patients)", scale, args.work / f"scale_{args.patients}_build"
        )


if __name__ == "__main__":
    main()
