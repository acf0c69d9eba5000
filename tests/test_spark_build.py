"""The paper extract built on Spark (.venv-spark, il2_registry.spark_build) gives the same
marts, core and audit tables as the DuckDB build: every fingerprint equal (docs/spark.md).

Nothing is skipped: without .venv-spark (`make spark-venv`, a prerequisite of `make pytest`)
the test fails. One Spark build (the slow part, several minutes on local[2]); then a broken
extract is refused before anything is loaded or published, and the published views still
show the first build.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from il2_registry.fingerprint import compare, duckdb_fingerprints

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SPARK_PYTHON = PROJECT_ROOT / ".venv-spark" / "bin" / "python"


def spark_python(
    args: list[str], spark_warehouse: Path, work: Path, program: str = "python"
) -> subprocess.CompletedProcess[str]:
    assert SPARK_PYTHON.exists(), f"{SPARK_PYTHON} is missing: run `make spark-venv`"
    env = {
        **os.environ,
        "IL2_PROJECT_ROOT": str(PROJECT_ROOT),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "IL2_SPARK_WAREHOUSE": str(spark_warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TZ": "UTC",
    }
    return subprocess.run(
        [str(SPARK_PYTHON.parent / program), *args],
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )


def spark_prints(spark_warehouse: Path, work: Path) -> dict:
    """`il2reg fingerprint --target spark --json` of the published Spark views."""
    result = spark_python(["fingerprint", "--target", "spark", "--json"], spark_warehouse, work, "il2reg")
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout[result.stdout.index("{") :])


@pytest.fixture(scope="module")
def spark_build(paper_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("spark_build")
    spark_warehouse = work / "spark"
    args = ["-m", "il2_registry.spark_build", str(paper_extract)]
    args += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    result = spark_python(args, spark_warehouse, work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "dbt nodes passed" in result.stdout
    return spark_warehouse


@pytest.fixture(scope="module")
def spark_build_prints(spark_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The published views' fingerprints after the build, read once (a JVM start and one
    collect per table) for both tests."""
    return spark_prints(spark_build, tmp_path_factory.mktemp("spark_prints"))


def test_spark_marts_core_audit_equal_duckdb(spark_build_prints: dict, paper_warehouse: Path):
    duck = duckdb_fingerprints(str(paper_warehouse))
    spark = spark_build_prints
    # Every published DuckDB table exists on Spark with the same rows (and no other).
    assert len(duck) >= 30
    assert compare(duck, spark) == []


def test_failed_spark_build_changes_no_published_view(
    spark_build: Path, spark_build_prints: dict, paper_extract: Path, tmp_path: Path
):
    before = spark_build_prints
    assert len(before) >= 30
    broken = tmp_path / "extract"
    broken.mkdir()
    for path in paper_extract.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    # One record fewer than the manifest says: the extract check refuses it before loading.
    lines = (broken / "patients.csv").read_text().splitlines(keepends=True)
    (broken / "patients.csv").write_text("".join(lines[:-1]))
    result = spark_python(["-m", "il2_registry.spark_build", str(broken)], spark_build, tmp_path)
    assert result.returncode == 1
    assert "patients.csv" in result.stderr
    assert spark_prints(spark_build, tmp_path) == before
