"""`generate_extract`: profile -> patients (in chunks) -> records -> files, manifest and truth."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from il2_registry.generator import profiles
from il2_registry.generator.formatting import format_tables
from il2_registry.generator.manifest import build_manifest, write_manifest
from il2_registry.generator.messy import inject
from il2_registry.generator.quirks import add_superseded_patients, apply_value_quirks
from il2_registry.generator.sampler import expand_records, sample_timeline
from il2_registry.generator.sites import scale_sites_frame, sites_frame
from il2_registry.generator.tables import ClinicalTables, day_number
from il2_registry.generator.truth import derive_truth
from il2_registry.generator.truth_writer import (
    truth_dir_for,
    write_bad_rows,
    write_figures,
    write_patients_truth,
)
from il2_registry.generator.writer import ExtractWriter, as_text_table

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
            expand_records(rng, patient_ids[sel], site_ids[sel], disease[sel], cohort[sel], tl, cutoff_day)
        )
    return ClinicalTables.concat(parts)


def _scale_chunks(
    n_patients: int, seed: int, n_sites: int
) -> Iterator[tuple[np.random.Generator, pd.DataFrame]]:
    """Patients in chunks: ids are unique across chunks (site by index, number within site)."""
    root = np.random.SeedSequence(seed)
    children = root.spawn(-(-n_patients // SCALE_CHUNK))
    for chunk_index, start in enumerate(range(0, n_patients, SCALE_CHUNK)):
        stop = min(start + SCALE_CHUNK, n_patients)
        rng = np.random.default_rng(children[chunk_index])
        idx = np.arange(start, stop)
        site_idx = (idx % n_sites * 7919) % n_sites
        number = idx // n_sites + 1
        site = np.char.add("S", np.char.zfill((site_idx + 1).astype(str), 3))
        pid = np.char.add(np.char.add(site, "-"), np.char.zfill(number.astype(str), 4))
        u = rng.uniform(size=len(idx))
        cohort = np.where(u < profiles.PRIOR_ICB_SHARE, "prior_icb", "il2_alone")
        mel_share = np.where(
            cohort == "prior_icb", profiles.MELANOMA_SHARE["prior_icb"], profiles.MELANOMA_SHARE["il2_alone"]
        )
        disease = np.where(rng.uniform(size=len(idx)) < mel_share, "MELANOMA", "RCC")
        yield rng, pd.DataFrame({"patient_id": pid, "site_id": site, "disease": disease, "cohort": cohort})


def generate_extract(
    out_dir: Path,
    *,
    profile: str = "paper",
    seed: int = 20180331,
    patients: int | None = None,
    messy: float = 0.0,
    progress: Progress | None = None,
) -> dict:
    """Write an extract and its truth folder `<out>_truth` beside it; return the manifest."""
    out_dir = Path(out_dir)
    truth_dir = truth_dir_for(out_dir)
    for folder in (out_dir, truth_dir):
        if folder.exists():
            shutil.rmtree(folder)
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
            nulled = _write_chunk(
                writer, tables, sites_frame(), np.random.default_rng([seed, 7]), messy, bad_rows, first=True
            )
            truth.loc[truth.index.isin(nulled), "ldh_value"] = np.nan
            write_patients_truth(truth_dir, truth, append=False)
            write_figures(truth_dir, paper_figures(truth, tables))
            if progress:
                progress(len(tables.patients), len(tables.patients))
        elif profile == "scale":
            n = patients or 10_000
            n_sites = max(44, -(-n // 8000))
            sites = scale_sites_frame(n_sites)
            done = 0
            for i, (rng, chunk) in enumerate(_scale_chunks(n, seed, n_sites)):
                tables = sample_groups(
                    rng,
                    chunk["patient_id"].to_numpy(),
                    chunk["site_id"].to_numpy(),
                    chunk["disease"].to_numpy(),
                    chunk["cohort"].to_numpy(),
                    cutoff_day,
                )
                nulled = _write_chunk(writer, tables, sites, rng, messy, bad_rows, first=i == 0)
                if n <= SCALE_TRUTH_LIMIT:
                    truth = derive_truth(tables, cutoff_day)
                    truth.loc[truth.index.isin(nulled), "ldh_value"] = np.nan
                    write_patients_truth(truth_dir, truth, append=i > 0)
                done += len(chunk)
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


def _to_frame(table: pa.Table) -> pd.DataFrame:
    return pd.DataFrame({name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names})


def _from_frame(frame: pd.DataFrame) -> pa.Table:
    columns = [c for c in frame.columns if not c.startswith("_")]
    return pa.table({c: pa.array(frame[c].to_numpy(dtype=object), type=pa.string()) for c in columns})


def _write_chunk(
    writer: ExtractWriter,
    tables: ClinicalTables,
    sites: pd.DataFrame,
    rng: np.random.Generator,
    messy: float,
    bad_rows: list[dict],
    *,
    first: bool,
) -> set[str]:
    """Format, add quirks (and bad rows), append to the files; return patients whose LDH was nulled."""
    formatted = apply_value_quirks(format_tables(tables, sites))
    il2_alone = set(tables.patients.loc[tables.patients["cohort"] == "il2_alone", "patient_id"])
    nulled_ldh: set[str] = set()
    for name, table in formatted.items():
        if name == "sites.csv" and not first:
            continue
        needs_frame = name == "patients.csv" or messy > 0
        if not needs_frame:
            writer.append(name, table)
            continue
        frame = _to_frame(as_text_table(table))
        if name == "patients.csv":
            frame = add_superseded_patients(rng, frame)
        else:
            frame["_role"] = "good"
        if messy > 0:
            frame, records = inject(
                rng, name, frame, messy, row_offset=writer.rows[name], nullable_patients=il2_alone
            )
            bad_rows.extend(records)
            if name == "baseline.csv":
                for r in records:
                    if r["column"] == "ldh_value":
                        nulled_ldh.add(frame["patient_id"].iloc[r["row_number"] - writer.rows[name] - 1])
        writer.append(name, _from_frame(frame))
    return nulled_ldh


def stderr_progress(done: int, total: int) -> None:
    width = 40
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgenerate [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} patients")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
