"""The dbt project built on Apache Spark (docs/spark.md): load, build, survival step, publish.

`python -m il2_registry.spark_build EXTRACT_DIR` (what `make spark` runs, in .venv-spark):

1. The extract check (il2_registry.extract_check, the same code as `il2reg extract check` and
   DuckDB's on-run-start hook) runs before anything is loaded; a problem stops here.
2. The edge: each extract file is read by the project's own reader, DuckDB's `read_csv` with
   the options of the dbt sources (extract_reader.csv_read_expression: all text, columns by
   header name, BOM, CRLF, quoted commas and newlines) `with ordinality`, so the data-row
   number of every record is exactly the one the DuckDB build gives. Spark's CSV reader is
   not used: it cannot number records when quoted newlines split them. The rows go to Spark
   as Parquet and become the tables `registry.<file>` the dbt sources name on Spark;
   `extract_manifest.manifest`, `extract_manifest.contract_tables` (the contract spec per
   file, for dbt unit tests) and `extract_manifest.load_check` (what on-run-start verifies)
   are written beside them.
3. `dbt build` on the spark target, in this process (dbt-spark's session method takes this
   process's SparkSession), into versioned schemas `<schema>__build_<id>`: every node except
   the survival wrappers (models/marts/survival_estimates).
4. The survival step: dbt-spark's session method cannot run dbt Python models, so the same
   package functions as the DuckDB Python models (il2_registry.survival.tables) run here over
   the build's marts.survival and write int_km_curves_estimated, int_km_summaries_estimated,
   int_logrank_tests_computed and int_cox_models_fitted into the build's intermediate schema.
5. `dbt build` of the survival wrappers and their tests.
6. Publish: only when every node of both runs succeeded, each published schema (marts, core,
   audit, terminology) gets one view per table of its build schema (create or replace, then the
   views of tables that no longer exist are dropped). A failed build changes no view.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PUBLISHED_SCHEMAS = ("marts", "core", "audit", "terminology")
SURVIVAL_SELECTOR = "path:models/marts/survival_estimates"
EXTRACT_SCHEMA = "registry"  # the dbt source's name: its default schema on Spark
MANIFEST_SCHEMA = "extract_manifest"


def spark_warehouse() -> Path:
    """$IL2_SPARK_WAREHOUSE (absolute, or relative to the project root), else warehouse/spark."""
    from il2_registry.paths import project_root

    env = os.environ.get("IL2_SPARK_WAREHOUSE")
    if env:
        return (project_root() / env).resolve()
    return project_root() / "warehouse" / "spark"


def spark_conf(warehouse: Path) -> dict[str, str]:
    """The local session's settings, the same as the spark target's server_side_parameters
    (profiles.yml): local[2], 2 shuffle partitions, a 2 GB driver, the warehouse and its Derby
    metastore under `warehouse`, UTC, no UI, ANSI off (dbt-spark sets it off too), no code
    generation (codegen_conf)."""
    return {
        "spark.master": os.environ.get("IL2_SPARK_MASTER", "local[2]"),
        "spark.driver.memory": os.environ.get("IL2_SPARK_DRIVER_MEMORY", "2g"),
        "spark.sql.shuffle.partitions": os.environ.get("IL2_SPARK_SHUFFLE_PARTITIONS", "2"),
        "spark.sql.warehouse.dir": str(warehouse / "tables"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={warehouse / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={warehouse}",
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.ansi.enabled": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **codegen_conf(),
    }


def codegen_conf() -> dict[str, str]:
    """Java code generation off unless IL2_SPARK_CODEGEN=true (the spark target's setting too).
    Spark compiles generated Java for every query (whole-stage and expression code); on the
    registry's small tables that compile time is most of a node's cost (docs/performance.md)."""
    on = os.environ.get("IL2_SPARK_CODEGEN", "false") == "true"
    return {
        "spark.sql.codegen.wholeStage": "true" if on else "false",
        "spark.sql.codegen.factoryMode": "FALLBACK" if on else "NO_CODEGEN",
    }


def spark_session(warehouse: Path | None = None) -> Any:
    """The local SparkSession (Hive catalog in Derby: tables outlive the process)."""
    os.environ.setdefault("TZ", "UTC")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    warehouse = warehouse or spark_warehouse()
    warehouse.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("il2_registry").enableHiveSupport()
    for key, value in spark_conf(warehouse).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkBuildError(RuntimeError):
    """A step of the Spark build failed; nothing was published."""


# --- 1-2. extract check and load --------------------------------------------------------------


def _write_rows(spark: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(c, StringType()) for c in columns])
    spark.createDataFrame(rows, schema).write.mode("overwrite").saveAsTable(table)


def record_check(spark: Any, extract_dir: str, ok: bool, message: str) -> None:
    """extract_manifest.load_check: the one row the spark target's on-run-start verifies."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    spark.sql(f"create database if not exists {MANIFEST_SCHEMA}")
    schema = StructType(
        [
            StructField("extract_dir", StringType()),
            StructField("ok", BooleanType()),
            StructField("message", StringType()),
        ]
    )
    spark.createDataFrame([(extract_dir, ok, message)], schema).write.mode("overwrite").saveAsTable(
        f"{MANIFEST_SCHEMA}.load_check"
    )


def load_extract(spark: Any, extract_dir: Path, work_dir: Path) -> dict[str, int]:
    """Check the extract, then load it: {file: rows loaded}. Raises SparkBuildError (and marks
    the load as failed, so that no dbt run builds the tables of an earlier load) on a problem."""
    import duckdb

    from il2_registry.contract import load_contract, spec_table_json
    from il2_registry.extract_check import check_extract
    from il2_registry.extract_reader import csv_read_expression
    from il2_registry.manifest import MANIFEST_NAME

    contract = load_contract()
    report = check_extract(extract_dir, contract, values=False)
    if not report.ok:
        message = report.failure_message()
        record_check(spark, str(extract_dir), False, message)
        raise SparkBuildError(message)
    spark.sql(f"create database if not exists {EXTRACT_SCHEMA}")
    spark.sql(f"create database if not exists {MANIFEST_SCHEMA}")
    loaded: dict[str, int] = {}
    work_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for spec in contract.files:
            parquet = work_dir / f"{spec.name}.parquet"
            # The dbt sources' reader (all text, by header name) and its data-row number.
            (rows,) = con.execute(
                f"copy (select * from {csv_read_expression(extract_dir / spec.file_name)} with ordinality) "
                f"to '{parquet}' (format parquet)"
            ).fetchone()
            table = f"{EXTRACT_SCHEMA}.{spec.name}"
            spark.sql(f"drop table if exists {table}")
            spark.sql(f"create table {table} using parquet location '{parquet}'")
            loaded[spec.file_name] = int(rows)
    manifest = json.loads((extract_dir / MANIFEST_NAME).read_text())
    header = ["extract_id", "data_cutoff_date", "created_at", "contract_version"]
    row = tuple(None if manifest.get(k) is None else str(manifest[k]) for k in header)
    _write_rows(spark, f"{MANIFEST_SCHEMA}.manifest", header, [row])
    specs = [(spec.name, spec_table_json(spec.name)) for spec in contract.files]
    _write_rows(spark, f"{MANIFEST_SCHEMA}.contract_tables", ["table_name", "spec"], specs)
    message = (
        f"extract {extract_dir} verified and loaded: {len(loaded)} files match {MANIFEST_NAME} "
        "and the contract"
    )
    record_check(spark, str(extract_dir), True, message)
    return loaded


# --- 3-5. dbt ---------------------------------------------------------------------------------


@dataclass
class DbtRun:
    args: list[str]
    success: bool
    failed: list[str] = field(default_factory=list)
    nodes: int = 0
    seconds: float = 0.0


def run_dbt(args: list[str]) -> DbtRun:
    """One dbt invocation in this process (so dbt-spark's session is this SparkSession)."""
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    result = dbtRunner().invoke(args)
    failed, nodes = [], 0
    results = getattr(result.result, "results", None) or []
    for node_result in results:
        nodes += 1
        status = str(getattr(node_result, "status", ""))
        if status.lower().rsplit(".", 1)[-1] in ("error", "fail", "runtime error"):
            failed.append(f"{node_result.node.unique_id} ({status})")
    return DbtRun(args, bool(result.success), failed, nodes, time.perf_counter() - started)


def keep_run_results(dbt_args: list[str], name: str) -> None:
    """Copy the run's run_results.json to `name` beside it: the next dbt run (the survival
    wrappers) overwrites run_results.json, and the first run's per-node timings are the ones
    docs/performance.md reads."""
    from il2_registry.paths import project_root

    target = Path(dbt_args[dbt_args.index("--target-path") + 1]) if "--target-path" in dbt_args else None
    results = (target or project_root() / "target") / "run_results.json"
    if results.exists():
        (results.parent / name).write_bytes(results.read_bytes())


# --- 4. survival step -------------------------------------------------------------------------


def survival_step(spark: Any, build_id: str, conf_type: str, covariates_text: str) -> dict[str, int]:
    """The survival estimates from the build's marts, with the DuckDB Python models' calls."""
    from il2_registry.survival.tables import (
        cox_models,
        km_curves,
        km_summary,
        logrank_tests,
        parse_covariates,
    )

    marts = f"marts__build_{build_id}"
    intermediate = f"intermediate__build_{build_id}"
    keys = "disease, cohort, endpoint, time_days, event"
    counted = spark.sql(
        f"select {keys}, count(*) as n_patients from {marts}.survival group by {keys}"
    ).toPandas()
    covariates = parse_covariates(covariates_text)
    columns = ("patient_id, " if covariates else "") + keys
    survival = spark.sql(f"select {columns} from {marts}.survival").toPandas()
    patients = spark.table(f"{marts}.cohort").toPandas() if covariates else None
    curves = km_curves(counted, conf_type)
    tables = {
        "int_km_curves_estimated": curves,
        "int_km_summaries_estimated": km_summary(curves, conf_type),
        "int_logrank_tests_computed": logrank_tests(counted),
        "int_cox_models_fitted": cox_models(survival, patients, covariates),
    }
    written = {}
    for name, frame in tables.items():
        frame = frame.astype(object).where(frame.notna(), None)
        spark.createDataFrame(frame).write.mode("overwrite").saveAsTable(f"{intermediate}.{name}")
        written[name] = len(frame)
    return written


# --- 6. publish -------------------------------------------------------------------------------


def _tables(spark: Any, schema: str) -> list[str]:
    return sorted(
        row.tableName for row in spark.sql(f"show tables in {schema}").collect() if not row.isTemporary
    )


def publish(spark: Any, build_id: str, schemas: tuple[str, ...] = PUBLISHED_SCHEMAS) -> dict[str, int]:
    """Point the analysts' schemas at the build: one view per table of <schema>__build_<id>."""
    published = {}
    for schema in schemas:
        build_schema = f"{schema}__build_{build_id}"
        spark.sql(f"create database if not exists {schema}")
        tables = _tables(spark, build_schema)
        for table in tables:
            spark.sql(f"create or replace view {schema}.{table} as select * from {build_schema}.{table}")
        for stale in set(_tables(spark, schema)) - set(tables):
            spark.sql(f"drop view if exists {schema}.{stale}")
        published[schema] = len(tables)
    spark.sql(f"create database if not exists {MANIFEST_SCHEMA}")
    spark.createDataFrame([(build_id,)], "build_id string").write.mode("overwrite").saveAsTable(
        f"{MANIFEST_SCHEMA}.published_build"
    )
    return published


def published_build(spark: Any) -> str | None:
    try:
        rows = spark.table(f"{MANIFEST_SCHEMA}.published_build").collect()
    except Exception:  # noqa: BLE001 - no build published yet
        return None
    return rows[0].build_id if rows else None


def drop_old_builds(spark: Any, keep: set[str]) -> list[str]:
    """Drop the build schema sets that are neither published nor in `keep`."""
    dropped = []
    for row in spark.sql("show databases").collect():
        name = row[0]
        if "__build_" in name and name.split("__build_", 1)[1] not in keep:
            spark.sql(f"drop database if exists {name} cascade")
            dropped.append(name)
    return dropped


# --- the whole build --------------------------------------------------------------------------


@dataclass
class SparkBuild:
    build_id: str
    loaded: dict[str, int] = field(default_factory=dict)
    runs: list[DbtRun] = field(default_factory=list)
    survival: dict[str, int] = field(default_factory=dict)
    published: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def build(
    extract_dir: Path,
    *,
    dbt_vars: dict[str, Any] | None = None,
    build_id: str | None = None,
    dbt_args: list[str] | None = None,
) -> SparkBuild:
    """Load, build, survival step, publish. Raises SparkBuildError when anything fails; the
    published views then still show the previous build."""
    from il2_registry.extract_check import resolve_extract_dir

    extract_dir = resolve_extract_dir(str(extract_dir))
    build_id = build_id or time.strftime("%Y%m%d%H%M%S", time.gmtime())
    warehouse = spark_warehouse()
    os.environ["IL2_SPARK_WAREHOUSE"] = str(warehouse)
    os.environ["IL2_SPARK_BUILD_ID"] = build_id
    result = SparkBuild(build_id)
    started = time.perf_counter()
    spark = spark_session(warehouse)
    result.seconds["session"] = time.perf_counter() - started

    step = time.perf_counter()
    # The extract as Parquet files under the warehouse, read in place by registry.<file>.
    result.loaded = load_extract(spark, extract_dir, warehouse / "extract")
    result.seconds["load"] = time.perf_counter() - step

    dbt_vars = {"extract_dir": str(extract_dir), **(dbt_vars or {})}
    common = ["--target", "spark", "--vars", json.dumps(dbt_vars), *(dbt_args or [])]
    first = run_dbt(["build", *common, "--exclude", SURVIVAL_SELECTOR])
    result.runs.append(first)
    keep_run_results(dbt_args or [], "run_results_build.json")
    result.seconds["dbt_build"] = first.seconds
    if not first.success:
        raise SparkBuildError(
            f"dbt build failed on Spark, nothing published: {', '.join(first.failed) or 'see above'}"
        )

    step = time.perf_counter()
    result.survival = survival_step(
        spark,
        build_id,
        str(dbt_vars.get("km_conf_type", "log-log")),
        str(dbt_vars.get("km_cox_covariates", "")),
    )
    result.seconds["survival_step"] = time.perf_counter() - step

    second = run_dbt(["build", *common, "--select", SURVIVAL_SELECTOR])
    result.runs.append(second)
    result.seconds["dbt_survival_wrappers"] = second.seconds
    if not second.success:
        raise SparkBuildError(
            "dbt build of the survival wrappers failed on Spark, nothing published: "
            f"{', '.join(second.failed) or 'see above'}"
        )

    step = time.perf_counter()
    previous = published_build(spark)
    result.published = publish(spark, build_id)
    drop_old_builds(spark, {build_id, previous} if previous else {build_id})
    result.seconds["publish"] = time.perf_counter() - step
    result.seconds["total"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m il2_registry.spark_build", description=__doc__.splitlines()[0]
    )
    parser.add_argument("extract_dir", nargs="?", default="data/extract")
    parser.add_argument("--vars", default="{}", help="dbt vars as JSON (extract_dir is set from EXTRACT_DIR)")
    parser.add_argument("--target-path", help="dbt's --target-path")
    parser.add_argument("--log-path", help="dbt's --log-path")
    args = parser.parse_args(argv)
    dbt_args = []
    for option, value in (("--target-path", args.target_path), ("--log-path", args.log_path)):
        if value:
            dbt_args += [option, value]
    try:
        result = build(Path(args.extract_dir), dbt_vars=json.loads(args.vars), dbt_args=dbt_args)
    except SparkBuildError as error:
        print(f"spark build: {error}", file=sys.stderr)
        return 1
    nodes = sum(run.nodes for run in result.runs)
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    print(f"spark build {result.build_id}: {nodes} dbt nodes passed, published {result.published}; {timings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
