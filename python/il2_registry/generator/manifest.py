"""manifest.json: row counts, SHA-256 of each file, identity of the extract."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from il2_registry.contract import load_contract
from il2_registry.extract_reader import csv_read_expression, sha256_of
from il2_registry.manifest import REGISTRY

# Record dates further than this after the cut-off are typos (the messy profile's), not data
# entered after the cut-off: they do not move the export time.
LATEST_PLAUSIBLE_AFTER_CUTOFF = timedelta(days=3650)


def latest_record_date(out_dir: Path, cutoff: date) -> date:
    """The latest date of any record the generator wrote (non-PHI date and timestamp columns,
    ISO or US style): records dated after the data cut-off are intended (entered before the
    export, ignored for analysis), records after the export time are not realistic."""
    parts = []
    for spec in load_contract().files:
        path = out_dir / spec.file_name
        if not path.is_file():
            continue
        for column in spec.columns:
            if column.phi or column.kind not in ("date", "timestamp", "partial_date"):
                continue
            value = f"trim({column.name})"
            # a partial date (YYYY-MM, YYYY) at its latest possible day: whatever day the
            # imputation picks, it is not after the export
            parsed = (
                f"coalesce(try_cast(left({value}, 10) as date), "
                f"cast(try_strptime(split_part({value}, ' ', 1), '%m/%d/%Y') as date), "
                f"last_day(try_cast({value} || '-01' as date)), "
                f"try_cast({value} || '-12-31' as date))"
            )
            parts.append(f"select max({parsed}) as d from {csv_read_expression(path)}")
    if not parts:
        return cutoff
    limit = cutoff + LATEST_PLAUSIBLE_AFTER_CUTOFF
    query = f"select max(d) from ({' union all '.join(parts)}) where d <= date '{limit.isoformat()}'"
    with duckdb.connect() as con:
        (latest,) = con.execute(query).fetchone() or (None,)
    return max(cutoff, latest) if latest else cutoff


def created_at(latest: date, seed: int) -> str:
    """A deterministic export time: two days after `latest` (the cut-off, or the latest record
    when one was entered after it), in the morning, set by the seed."""
    moment = datetime(latest.year, latest.month, latest.day, 8, 0) + timedelta(days=2, seconds=seed % 14400)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_manifest(out_dir: Path, rows: dict[str, int], *, cutoff: date, seed: int, profile: str) -> dict:
    return {
        "registry": REGISTRY,
        "extract_id": f"{cutoff.isoformat()}-{profile}-{seed}",
        "data_cutoff_date": cutoff.isoformat(),
        "created_at": created_at(latest_record_date(out_dir, cutoff), seed),
        "contract_version": load_contract().version,
        "files": {name: {"rows": rows[name], "sha256": sha256_of(out_dir / name)} for name in sorted(rows)},
    }


def write_manifest(out_dir: Path, manifest: dict) -> None:
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
