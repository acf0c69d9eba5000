"""Data locks: generated later locks, the lock archive, `il2reg diff`, reading a lock.

Two locks of the paper registry (the default 2018-03-31 and 2019-03-31) are built into one
warehouse folder; the diff between them must equal the generator's own truth of what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from conftest import PAPER_SEED, PROJECT_ROOT, VENV_BIN, generate_extract, il2reg, run_dbt
from il2_registry.diff import LockData, diff_locks, summarise

FIRST = f"2018-03-31-paper-{PAPER_SEED}"
LATER = f"2019-03-31-paper-{PAPER_SEED}"
# SHA-256 of each file of the default paper extract as generated before data locks existed
# (seed 20180331): the default cut-off must keep writing exactly these bytes.
PAPER_DEFAULT_SHA256 = {
    "adverse_events.csv": "2368454e5dd12be02071f6e1f6d655833a170f30bc4fb4d1415c77db1f908b14",
    "baseline.csv": "ca11ec87d7e0f70288b685fc71cf7e8abb3bee1acaba03085fdb512fca8b4472",
    "follow_up.csv": "fc4323a570242ef3a34ad2ac074ad518773c3e51c103e72156549a029659fae6",
    "il2_cycles.csv": "5f826aac0cb03a3b7a65fba39c096c9fc65fbb45a5bbb927140480855f7e2d6d",
    "il2_doses.csv": "cbba13273e62b1f06b478531a278e897970e9917124fe38031056fdfe1568677",
    "patients.csv": "3d2aeaddf3211762650068f6aaa1fa8168f81331330eea3e107b8625cce5423b",
    "prior_therapies.csv": "51a6c02fc82a2755124806a8699305f013dc49fb5f63f1e51740cfae8af5f8e5",
    "sites.csv": "8f886f9b2fc9e225561b12ee595d6b02253f511d78965b00da6363027254d1f9",
    "subsequent_therapies.csv": "8e6c778a76acd2256e8bd97fddffb5178b997f97b8715eea53319b6431301e38",
    "tumor_assessments.csv": "c6aa5dfd80050dee22d04b01fd4e63b6e6dcc9d474f7886abf0011ecd99deaad",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, int, float]]:
    """Every file of a folder: hash, mode, modification time."""
    return {
        p.name: (sha256(p), stat.S_IMODE(p.stat().st_mode), p.stat().st_mtime)
        for p in sorted(folder.iterdir())
    }


@pytest.fixture(scope="module")
def locks_setup(paper_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("locks")
    later = generate_extract(
        work / "extract_2019", "--profile", "paper", "--seed", str(PAPER_SEED), "--cutoff", "2019-03-31"
    )
    warehouse = work / "warehouse" / "il2_registry.duckdb"
    outputs = {}
    for name, extract in (("first", paper_extract), ("later", later)):
        result = run_dbt(["build"], warehouse=warehouse, extract_dir=extract, work_dir=work)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
        outputs[name] = result.stdout
    return {"work": work, "warehouse": warehouse, "later": later, "paper": paper_extract, "out": outputs}


def env_for(warehouse: Path) -> dict[str, str]:
    return {**os.environ, "IL2_WAREHOUSE": str(warehouse)}


def test_the_default_cutoff_writes_the_paper_extract_unchanged(paper_extract: Path, tmp_path: Path) -> None:
    assert {name: sha256(paper_extract / name) for name in PAPER_DEFAULT_SHA256} == PAPER_DEFAULT_SHA256
    explicit = generate_extract(
        tmp_path / "x", "--profile", "paper", "--seed", str(PAPER_SEED), "--cutoff", "2018-03-31"
    )
    assert {name: sha256(explicit / name) for name in PAPER_DEFAULT_SHA256} == PAPER_DEFAULT_SHA256


def test_a_cutoff_outside_the_generated_histories_is_refused(tmp_path: Path) -> None:
    result = il2reg("generate", "--cutoff", "2017-01-01", "--out", str(tmp_path / "x"), check=False)
    assert result.returncode != 0 and "must be between 2018-03-31" in result.stderr


def test_every_publish_archives_a_read_only_lock_with_its_facts(locks_setup: dict) -> None:
    archive = locks_setup["warehouse"].parent / "locks"
    for extract_id in (FIRST, LATER):
        lock = archive / f"{extract_id}.duckdb"
        assert stat.S_IMODE(lock.stat().st_mode) == 0o444
    catalogue = json.loads((archive / "catalogue.json").read_text())["locks"]
    assert set(catalogue) == {FIRST, LATER}
    assert catalogue[FIRST]["data_cutoff_date"] == "2018-03-31"
    assert catalogue[LATER]["data_cutoff_date"] == "2019-03-31"
    assert catalogue[LATER]["manifest_sha256"] == sha256(locks_setup["later"] / "manifest.json")
    assert catalogue[LATER]["vars"]["km_conf_type"] == "log-log"
    assert catalogue[LATER]["project_version"]
    assert f"archived lock {LATER}" in locks_setup["out"]["later"]
    listing = il2reg("locks", "--warehouse", str(locks_setup["warehouse"]))
    assert FIRST in listing.stdout and LATER in listing.stdout
    assert listing.stdout.index(FIRST) < listing.stdout.index(LATER)  # oldest cut-off first


def test_the_diff_of_two_locks_equals_the_generators_truth(locks_setup: dict) -> None:
    result = il2reg("diff", FIRST, LATER, "--json", "--warehouse", str(locks_setup["warehouse"]))
    diff = json.loads(result.stdout)
    truth = json.loads((Path(str(locks_setup["later"]) + "_truth") / "lock_changes.json").read_text())
    assert diff["from"] == FIRST and diff["to"] == LATER
    assert diff["patients"] == truth["patients"]
    assert truth["patients"]["added"] and truth["patients"]["removed"]  # the case is not empty

    def as_set(changes: list[dict]) -> set[tuple]:
        return {(c["patient_id"], c["field"], json.dumps(c["from"]), json.dumps(c["to"])) for c in changes}

    assert as_set(diff["changes"]) == as_set(truth["changes"])
    fields = {c["field"] for c in diff["changes"]}
    assert {"best_overall_response", "os_event", "os_time_days"} <= fields  # re-read scans, new deaths
    assert set(diff) == {"from", "to", "patients", "changes", "figures", "rejected", "findings"}
    moved = {f["figure"]: f for f in diff["figures"] if f["from"] != f["to"]}
    # The later lock holds the patients enrolled since: the IL-2-alone total must have moved.
    assert "cohorts › il2_alone_total" in moved
    assert int(moved["cohorts › il2_alone_total"]["to"]) > int(moved["cohorts › il2_alone_total"]["from"])
    assert any(f["figure"].startswith("km_summary › OS") for f in moved.values())


def test_a_rebuild_of_an_archived_extract_is_reported_identical(locks_setup: dict) -> None:
    archive = locks_setup["warehouse"].parent / "locks"
    before = snapshot(archive)
    work = locks_setup["work"]
    result = run_dbt(
        ["build"], warehouse=locks_setup["warehouse"], extract_dir=locks_setup["later"], work_dir=work
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"lock {LATER}: this build is identical to the archived lock" in result.stdout
    after = snapshot(archive)
    assert after[f"{LATER}.duckdb"] == before[f"{LATER}.duckdb"]  # the lock itself is never rewritten
    rebuilds = json.loads((archive / "catalogue.json").read_text())["locks"][LATER]["rebuilds"]
    assert rebuilds[-1]["identical"] is True


def test_a_rebuild_with_another_result_var_names_the_tables_and_the_reason(locks_setup: dict) -> None:
    archive = locks_setup["warehouse"].parent / "locks"
    lock_before = snapshot(archive)[f"{LATER}.duckdb"]
    result = run_dbt(
        ["build"],
        warehouse=locks_setup["warehouse"],
        extract_dir=locks_setup["later"],
        work_dir=locks_setup["work"],
        extra_vars={"km_conf_type": "log"},
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"lock {LATER} kept as archived; this build differs" in result.stdout
    assert "marts.km_summary" in result.stdout and "var km_conf_type 'log-log' -> 'log'" in result.stdout
    assert snapshot(archive)[f"{LATER}.duckdb"] == lock_before


def test_a_failed_later_build_leaves_the_archive_untouched(locks_setup: dict) -> None:
    archive = locks_setup["warehouse"].parent / "locks"
    before = snapshot(archive)
    published_before = sha256(locks_setup["warehouse"])
    result = run_dbt(
        ["build"],
        warehouse=locks_setup["warehouse"],
        extract_dir=locks_setup["paper"],
        work_dir=locks_setup["work"],
        extra_vars={"km_conf_type": "no-such-transform"},  # the survival step fails after staging
    )
    assert result.returncode != 0
    assert "warehouse not published" in result.stdout
    assert snapshot(archive) == before
    assert sha256(locks_setup["warehouse"]) == published_before


def test_analysts_read_any_lock(locks_setup: dict, tmp_path: Path) -> None:
    warehouse = locks_setup["warehouse"]
    env = env_for(warehouse)
    query = "select extract_id from core.dim_extract"
    sql = il2reg_env(env, "sql", "--lock", FIRST, "-c", query)
    assert FIRST in sql.stdout and LATER not in sql.stdout
    km = il2reg_env(
        env,
        "km",
        "--lock",
        FIRST,
        "--sql",
        "select * from marts.survival where endpoint = 'OS' and disease = 'mM'",
        "--time",
        "time_months",
        "--event",
        "event",
        "--json",
    )
    # The first lock is the paper extract: 620 mM patients (40 prior ICB + 580 IL-2 alone).
    assert sum(g["n"] for g in json.loads(km.stdout)["groups"]) == 620
    report = il2reg_env(env, "report", "--lock", FIRST, "--out", str(tmp_path / "first"))
    assert report.returncode == 0
    page = (tmp_path / "first" / "report.html").read_text()
    assert FIRST in page and "Since the previous lock" not in page  # the first lock has none before it


def test_the_report_of_a_later_lock_says_what_changed(locks_setup: dict, tmp_path: Path) -> None:
    env = env_for(locks_setup["warehouse"])
    report = il2reg_env(env, "report", "--out", str(tmp_path / "later"))
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "later" / "report.html").read_text()
    assert "Since the previous lock" in page and "since_previous_lock.json" in page
    full = json.loads((tmp_path / "later" / "since_previous_lock.json").read_text())
    assert full["from"] == FIRST and full["to"] == LATER
    assert f"<td>Patients added</td><td>{len(full['patients']['added'])}</td>" in page


def il2reg_env(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "il2reg"), *args],
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        capture_output=True,
        check=True,
    )


def lock_data(
    extract_id: str, patients: list[dict], rejected: list[tuple], findings: list[tuple]
) -> LockData:
    frame = pd.DataFrame(patients).set_index("patient_id")
    return LockData(
        extract_id,
        frame,
        pd.DataFrame(rejected, columns=["file", "reason", "n"]),
        pd.DataFrame(findings, columns=["check_name", "file", "patient_id", "column_name", "value"]),
        {"orr": "10.0"},
    )


def patient(pid: str, bor: str, os_days: int, os_event: int) -> dict:
    return {
        "patient_id": pid,
        "cohort": "prior_icb",
        "day1_date": "2017-01-05",
        "initial_response": "SD",
        "best_overall_response": bor,
        "confirmed_best_overall_response": bor,
        "os_event": os_event,
        "os_time_days": os_days,
        "pfs_event": 0,
        "pfs_time_days": 100,
        "dor_event": None,
        "dor_time_days": None,
    }


def test_diff_locks_by_hand() -> None:
    # A: P1 (SD, alive at 100 days) and P2; B: P1 re-read as PR and dead at 300 days, P2 withdrawn,
    # P3 enrolled. One exact duplicate more in B; one finding resolved, one new.
    a = lock_data(
        "A",
        [patient("P1", "SD", 100, 0), patient("P2", "PD", 50, 1)],
        [("patients.csv", "exact_duplicate", 2)],
        [("day1_mismatch", "il2_doses.csv", "P1", None, None)],
    )
    b = lock_data(
        "B",
        [patient("P1", "PR", 300, 1), patient("P3", "SD", 10, 0)],
        [("patients.csv", "exact_duplicate", 3)],
        [("unmapped_ae_term", "adverse_events.csv", "P3", "ae_term", "felt unwell")],
    )
    b.figures["orr"] = "12.5"
    result = diff_locks(a, b)
    assert result["patients"] == {"added": ["P3"], "removed": ["P2"]}
    assert {(c["field"], c["from"], c["to"]) for c in result["changes"]} == {
        ("best_overall_response", "SD", "PR"),
        ("confirmed_best_overall_response", "SD", "PR"),
        ("os_event", 0, 1),
        ("os_time_days", 100, 300),
    }
    assert result["figures"] == [{"figure": "orr", "from": "10.0", "to": "12.5"}]
    assert result["rejected"] == [{"file": "patients.csv", "reason": "exact_duplicate", "from": 2, "to": 3}]
    assert result["findings"] == [
        {"check": "day1_mismatch", "new": 0, "resolved": 1},
        {"check": "unmapped_ae_term", "new": 1, "resolved": 0},
    ]
    summary = summarise(result)
    assert summary["patients_changed"] == 1 and summary["changes_per_field"]["os_event"] == 1
