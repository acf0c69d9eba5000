"""`generate_extract`: profile -> patients (in chunks) -> records -> files, manifest and truth."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import shutil
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from il2_registry.generator import locks, profiles
from il2_registry.generator.formatting import format_tables
from il2_registry.generator.manifest import build_manifest, write_manifest
from il2_registry.generator.messy import inject
from il2_registry.generator.quirks import add_superseded_patients, apply_value_quirks
from il2_registry.generator.sampler import expand_records, sample_timeline
from il2_registry.generator.sites import scale_sites_frame, sites_frame
from il2_registry.generator.tables import FILE_COLUMNS, ClinicalTables, day_number
from il2_registry.generator.truth import derive_truth
from il2_registry.generator.truth_writer import (
    truth_dir_for,
    write_bad_rows,
    write_figures,
    write_patients_truth,
)
from il2_registry.generator.writer import ExtractWriter, as_text_table, render

SCALE_CHUNK = 50_000
# Per-patient truth at scale costs about as much as generating; above this it is skipped.
SCALE_TRUTH_LIMIT = 200_000
Progress = Callable[[int, int], None]


def sample_groups(
    rng: np.random.Generator,
    patient_ids: np.ndarray,
    site_ids: np.ndarray,
    disease: np.ndarray,
    cohort: np.ndarray,
    cutoff_day: int,
    groups: dict | None = None,
    treatment_cutoff_day: int | None = None,
) -> ClinicalTables:
    """Random patients of any mix of groups (one sampler call per disease x cohort group)."""
    groups = groups or profiles.GROUPS
    parts = []
    for (dis, coh), params in groups.items():
        sel = (disease == dis) & (cohort == coh)
        if not sel.any():
            continue
        tl = sample_timeline(rng, int(sel.sum()), params)
        parts.append(
            expand_records(
                rng,
                patient_ids[sel],
                site_ids[sel],
                disease[sel],
                cohort[sel],
                tl,
                cutoff_day,
                treatment_cutoff_day,
            )
        )
    return ClinicalTables.concat(parts)


def _scale_ids(idx: np.ndarray, n_sites: int) -> tuple[np.ndarray, np.ndarray]:
    """Patient and site ids of patient indices: unique across chunks (site by index, number within site)."""
    site_idx = (idx % n_sites * 7919) % n_sites
    number = idx // n_sites + 1
    site = np.char.add("S", np.char.zfill((site_idx + 1).astype(str), 3))
    pid = np.char.add(np.char.add(site, "-"), np.char.zfill(number.astype(str), 4))
    return pid, site


def _scale_patients(rng: np.random.Generator, start: int, stop: int, n_sites: int) -> pd.DataFrame:
    """Patients start..stop-1: ids unique across chunks (site by index, number within site)."""
    idx = np.arange(start, stop)
    pid, site = _scale_ids(idx, n_sites)
    cohort = np.where(rng.uniform(size=len(idx)) < profiles.PRIOR_ICB_SHARE, "prior_icb", "il2_alone")
    mel_share = np.where(
        cohort == "prior_icb", profiles.MELANOMA_SHARE["prior_icb"], profiles.MELANOMA_SHARE["il2_alone"]
    )
    disease = np.where(rng.uniform(size=len(idx)) < mel_share, "MELANOMA", "RCC")
    return pd.DataFrame({"patient_id": pid, "site_id": site, "disease": disease, "cohort": cohort})


@dataclass
class RenderedChunk:
    """A chunk's rows as CSV bytes per file; bad-row records numbered within the chunk."""

    files: dict[str, tuple[bytes, int]]
    records: list[dict]
    nulled_ldh: set[str]
    patients: int
    truth: pd.DataFrame | None = None
    changes: dict | None = None
    events: pd.DataFrame | None = None


def generate_extract(
    out_dir: Path,
    *,
    profile: str = "paper",
    seed: int = 20180331,
    patients: int | None = None,
    messy: float = 0.0,
    progress: Progress | None = None,
    workers: int | None = None,
    cutoff: date | None = None,
    since: date | None = None,
) -> dict:
    """Write an extract and its truth folder `<out>_truth` beside it; return the manifest.

    The scale profile renders chunks in `workers` processes (default: up to 2) and writes
    them in order, so the files do not depend on the number of workers. `cutoff` (default the
    profile's, 2018-03-31) writes the same registry at a later data lock (`generator/locks.py`);
    the truth folder then also holds what changed since the lock at `since` (default the first).
    """
    out_dir = Path(out_dir)
    truth_dir = truth_dir_for(out_dir)
    _clear(out_dir, {*FILE_COLUMNS, "manifest.json"})
    _clear(truth_dir, {"patients.csv", "bad_rows.csv", "paper_figures.json", *LOCK_TRUTH_FILES})
    if cutoff is not None and cutoff != profiles.DATA_CUTOFF:
        return _generate_lock(
            out_dir, truth_dir, profile, seed, patients, messy, progress, workers, cutoff, since
        )
    truth_dir.mkdir(parents=True)
    cutoff = profiles.DATA_CUTOFF
    cutoff_day = day_number(cutoff.isoformat())
    writer = ExtractWriter(out_dir)
    bad_rows: list[dict] = []
    try:
        if profile == "paper":
            from il2_registry.generator.paper_cohort import paper_tables
            from il2_registry.generator.paper_figures import paper_figures

            tables = paper_tables(seed, cutoff_day)
            truth = derive_truth(tables, cutoff_day)
            chunk = render_chunk(tables, sites_frame(), np.random.default_rng([seed, 7]), messy, first=True)
            _write_rendered(writer, chunk, bad_rows)
            truth.loc[truth.index.isin(chunk.nulled_ldh), "ldh_value"] = np.nan
            write_patients_truth(truth_dir, truth, append=False)
            write_figures(truth_dir, paper_figures(truth, tables))
            if progress:
                progress(len(tables.patients), len(tables.patients))
        elif profile == "scale":
            n = patients or 10_000
            jobs = [
                (i, start, min(start + SCALE_CHUNK, n), n, seed, messy)
                for i, start in enumerate(range(0, n, SCALE_CHUNK))
            ]
            done = 0
            for i, chunk in enumerate(_run_jobs(jobs, workers)):
                _write_rendered(writer, chunk, bad_rows)
                if chunk.truth is not None:
                    write_patients_truth(truth_dir, chunk.truth, append=i > 0)
                done += chunk.patients
                if progress:
                    progress(done, n)
        else:
            raise ValueError(f"unknown profile {profile!r} (paper or scale)")
    finally:
        writer.close()
    write_bad_rows(truth_dir, bad_rows)
    manifest = build_manifest(out_dir, writer.rows, cutoff=cutoff, seed=seed, profile=profile)
    write_manifest(out_dir, manifest)
    return manifest


LOCK_TRUTH_FILES = ("lock_changes.json", "lock_events.csv")


def _generate_lock(
    out_dir: Path,
    truth_dir: Path,
    profile: str,
    seed: int,
    patients: int | None,
    messy: float,
    progress: Progress | None,
    workers: int | None,
    cutoff: date,
    since: date | None,
) -> dict:
    """A later data lock of the registry (docs/generator.md, data locks), with its truth."""
    since = since or profiles.DATA_CUTOFF
    locks.check_cutoff(cutoff)
    locks.check_cutoff(since)
    if since > cutoff:
        raise ValueError(f"--since {since.isoformat()} is after --cutoff {cutoff.isoformat()}")
    truth_dir.mkdir(parents=True)
    cutoff_day = day_number(cutoff.isoformat())
    since_day = day_number(since.isoformat())
    writer = ExtractWriter(out_dir)
    bad_rows: list[dict] = []
    events: list[pd.DataFrame] = []
    change_parts: list[dict] = []
    try:
        if profile == "paper":
            from il2_registry.generator.paper_figures import paper_figures

            tables, applied = paper_lock_tables(seed, cutoff_day)
            truth = derive_truth(tables, cutoff_day)
            chunk = render_chunk(tables, sites_frame(), np.random.default_rng([seed, 7]), messy, first=True)
            _write_rendered(writer, chunk, bad_rows)
            truth.loc[truth.index.isin(chunk.nulled_ldh), "ldh_value"] = np.nan
            write_patients_truth(truth_dir, truth, append=False)
            write_figures(truth_dir, paper_figures(truth, tables))
            before, _ = paper_lock_tables(seed, since_day)
            change_parts.append(locks.truth_changes(derive_truth(before, since_day), truth))
            events.append(applied)
            if progress:
                progress(len(tables.patients), len(tables.patients))
        elif profile == "scale":
            n = patients or 10_000
            jobs = [
                (i, start, min(start + SCALE_CHUNK, n), n, seed, messy, cutoff_day, since_day)
                for i, start in enumerate(range(0, n, SCALE_CHUNK))
            ]
            done = 0
            for i, chunk in enumerate(_run_jobs(jobs, workers)):
                _write_rendered(writer, chunk, bad_rows)
                if chunk.truth is not None:
                    write_patients_truth(truth_dir, chunk.truth, append=i > 0)
                if chunk.changes is not None:
                    change_parts.append(chunk.changes)
                events.append(chunk.events)
                done += chunk.patients
                if progress:
                    progress(done, n)
        else:
            raise ValueError(f"unknown profile {profile!r} (paper or scale)")
    finally:
        writer.close()
    write_bad_rows(truth_dir, bad_rows)
    manifest = build_manifest(out_dir, writer.rows, cutoff=cutoff, seed=seed, profile=profile)
    write_manifest(out_dir, manifest)
    applied_events = pd.concat(events, ignore_index=True).sort_values(["event_date", "kind", "patient_id"])
    locks.event_frame_iso(applied_events).to_csv(truth_dir / "lock_events.csv", index=False)
    if change_parts:
        changes = {
            "from": build_manifest_id(since, profile, seed),
            "to": manifest["extract_id"],
            "patients": {
                "added": sorted(p for part in change_parts for p in part["patients"]["added"]),
                "removed": sorted(p for part in change_parts for p in part["patients"]["removed"]),
            },
            "changes": sorted(
                (c for part in change_parts for c in part["changes"]),
                key=lambda c: (c["patient_id"], c["field"]),
            ),
        }
        (truth_dir / "lock_changes.json").write_text(json.dumps(changes, indent=2) + "\n")
    return manifest


def build_manifest_id(cutoff: date, profile: str, seed: int) -> str:
    return f"{cutoff.isoformat()}-{profile}-{seed}"


def paper_lock_tables(seed: int, cutoff_day: int) -> tuple[ClinicalTables, pd.DataFrame]:
    """The paper profile's 1179 patients seen at a later lock, its later enrolments, its events."""
    from il2_registry.generator.paper_cohort import assign_patient_ids, paper_tables, sort_tables

    first_day = day_number(profiles.DATA_CUTOFF.isoformat())
    horizon_day = day_number(locks.horizon().isoformat())
    if cutoff_day == first_day:
        return paper_tables(seed, first_day), pd.DataFrame(columns=locks.EVENT_COLUMNS)
    base = paper_tables(seed, first_day, observe_day=cutoff_day)
    designed = set(base.patients.loc[base.patients["cohort"] == "prior_icb", "patient_id"])
    icb = locks.extend_follow_up(
        np.random.default_rng([seed, 14, 1]), locks._only(base, designed), cutoff_day
    )
    alone = locks._only(base, set(base.patients["patient_id"]) - designed)
    rng = np.random.default_rng([seed, 14, 2])
    k = locks.later_enrolment_count(profiles.PAPER_TOTAL)
    pid, site = assign_patient_ids(rng, k)
    number = np.char.zfill(
        (np.char.partition(pid, "-")[:, 2].astype(int) + locks.LATER_NUMBER_START - 1).astype(str), 4
    )
    pid = np.char.add(np.char.add(site.astype(str), "-"), number)
    disease, cohort = locks.later_cohorts(rng, k)
    later = sample_groups(rng, pid, site, disease, cohort, cutoff_day, locks.later_groups(), horizon_day)
    later = locks.enrolled_by(later, cutoff_day)
    tables = sort_tables(ClinicalTables.concat([icb, alone, later]))
    return locks.apply_lock_events(
        np.random.default_rng([seed, 14, 3]), tables, first_day, cutoff_day, horizon_day
    )


def _scale_lock_tables(
    index: int, start: int, stop: int, n: int, seed: int, cutoff_day: int
) -> tuple[ClinicalTables, np.random.Generator, pd.DataFrame]:
    """One chunk of the scale profile at a data lock (the default lock when `cutoff_day` is the first)."""
    n_sites = max(44, -(-n // 8000))
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(index + 1)[index])
    chunk = _scale_patients(rng, start, stop, n_sites)
    first_day = day_number(profiles.DATA_CUTOFF.isoformat())
    tables = sample_groups(
        rng,
        chunk["patient_id"].to_numpy(),
        chunk["site_id"].to_numpy(),
        chunk["disease"].to_numpy(),
        chunk["cohort"].to_numpy(),
        cutoff_day,
        treatment_cutoff_day=first_day,
    )
    if cutoff_day == first_day:
        return tables, rng, pd.DataFrame(columns=locks.EVENT_COLUMNS)
    horizon_day = day_number(locks.horizon().isoformat())
    later_rng = np.random.default_rng([seed, 14, 2, index])
    offset = n + locks.later_enrolment_count(start)
    k = locks.later_enrolment_count(stop) - locks.later_enrolment_count(start)
    pid, site = _scale_ids(np.arange(offset, offset + k), n_sites)
    disease, cohort = locks.later_cohorts(later_rng, k)
    later = sample_groups(
        later_rng, pid, site, disease, cohort, cutoff_day, locks.later_groups(), horizon_day
    )
    tables = ClinicalTables.concat([tables, locks.enrolled_by(later, cutoff_day)])
    events_rng = np.random.default_rng([seed, 14, 3, index])
    tables, applied = locks.apply_lock_events(events_rng, tables, first_day, cutoff_day, horizon_day)
    return tables, rng, applied


def _clear(folder: Path, expected: set[str]) -> None:
    """Remove a previous extract (or truth) folder; refuse a folder holding anything else."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder")
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in expected)
    if foreign:
        raise FileExistsError(
            f"{folder} holds files that are not an extract's ({', '.join(foreign[:5])}); not replacing it"
        )
    shutil.rmtree(folder)


def _run_jobs(jobs: list[tuple], workers: int | None) -> Iterator[RenderedChunk]:
    """Chunks in order; at most `workers + 1` rendered chunks are held at a time."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) == 1:
        for job in jobs:
            yield _scale_chunk(job)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque = deque()
        queue = iter(jobs)
        for job in itertools.islice(queue, workers + 1):
            pending.append(pool.submit(_scale_chunk, job))
        while pending:
            result = pending.popleft().result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.submit(_scale_chunk, nxt))
            yield result


def _scale_chunk(job: tuple) -> RenderedChunk:
    """Generate and render one chunk of the scale profile (runs in a worker process)."""
    if len(job) == 8:
        return _scale_lock_chunk(job)
    index, start, stop, n, seed, messy = job
    n_sites = max(44, -(-n // 8000))
    cutoff_day = day_number(profiles.DATA_CUTOFF.isoformat())
    tables, rng, _ = _scale_lock_tables(index, start, stop, n, seed, cutoff_day)
    rendered = render_chunk(tables, scale_sites_frame(n_sites), rng, messy, first=index == 0)
    rendered.patients = stop - start
    if n <= SCALE_TRUTH_LIMIT:
        truth = derive_truth(tables, cutoff_day)
        truth.loc[truth.index.isin(rendered.nulled_ldh), "ldh_value"] = np.nan
        rendered.truth = truth
    return rendered


def _scale_lock_chunk(job: tuple) -> RenderedChunk:
    """One chunk of a later data lock of the scale profile, with its truth and its changes."""
    index, start, stop, n, seed, messy, cutoff_day, since_day = job
    n_sites = max(44, -(-n // 8000))
    tables, rng, applied = _scale_lock_tables(index, start, stop, n, seed, cutoff_day)
    rendered = render_chunk(tables, scale_sites_frame(n_sites), rng, messy, first=index == 0)
    rendered.patients = stop - start
    rendered.events = applied
    if n <= SCALE_TRUTH_LIMIT:
        truth = derive_truth(tables, cutoff_day)
        truth.loc[truth.index.isin(rendered.nulled_ldh), "ldh_value"] = np.nan
        rendered.truth = truth
        before, _, _ = _scale_lock_tables(index, start, stop, n, seed, since_day)
        rendered.changes = locks.truth_changes(derive_truth(before, since_day), truth)
    return rendered


def _write_rendered(writer: ExtractWriter, chunk: RenderedChunk, bad_rows: list[dict]) -> None:
    for record in chunk.records:
        bad_rows.append({**record, "row_number": record["row_number"] + writer.rows[record["file"]]})
    for name, (data, rows) in chunk.files.items():
        writer.write(name, data, rows)


def _to_frame(table: pa.Table) -> pd.DataFrame:
    return pd.DataFrame({name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names})


def _from_frame(frame: pd.DataFrame) -> pa.Table:
    columns = [c for c in frame.columns if not c.startswith("_")]
    return pa.table({c: pa.array(frame[c].to_numpy(dtype=object), type=pa.string()) for c in columns})


def render_chunk(
    tables: ClinicalTables, sites: pd.DataFrame, rng: np.random.Generator, messy: float, *, first: bool
) -> RenderedChunk:
    """Format, add quirks (and bad rows) and render every file's rows of one chunk."""
    formatted = apply_value_quirks(format_tables(tables, sites))
    il2_alone = set(tables.patients.loc[tables.patients["cohort"] == "il2_alone", "patient_id"])
    nulled_ldh: set[str] = set()
    files: dict[str, tuple[bytes, int]] = {}
    all_records: list[dict] = []
    for name, table in formatted.items():
        if name == "sites.csv" and not first:
            continue
        if name != "patients.csv" and messy <= 0:
            files[name] = render(name, table)
            continue
        frame = _to_frame(as_text_table(table))
        if name == "patients.csv":
            frame = add_superseded_patients(rng, frame)
        else:
            frame["_role"] = "good"
        if messy > 0:
            frame, records = inject(rng, name, frame, messy, row_offset=0, nullable_patients=il2_alone)
            all_records.extend(records)
            if name == "baseline.csv":
                for r in records:
                    if r["column"] == "ldh_value":
                        nulled_ldh.add(frame["patient_id"].iloc[r["row_number"] - 1])
        files[name] = render(name, _from_frame(frame))
    return RenderedChunk(files, all_records, nulled_ldh, len(tables.patients))


def stderr_progress(done: int, total: int) -> None:
    width = 40
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgenerate [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} patients")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
