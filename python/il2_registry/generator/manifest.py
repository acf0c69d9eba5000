"""manifest.json: row counts, SHA-256 of each file, identity of the extract."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from il2_registry.contract import load_contract
from il2_registry.extract_reader import sha256_of
from il2_registry.manifest import REGISTRY


def created_at(cutoff: date, seed: int) -> str:
    """A deterministic export time: two days after the cut-off, in the morning, set by the seed."""
    moment = datetime(cutoff.year, cutoff.month, cutoff.day, 8, 0) + timedelta(days=2, seconds=seed % 14400)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_manifest(out_dir: Path, rows: dict[str, int], *, cutoff: date, seed: int, profile: str) -> dict:
    return {
        "registry": REGISTRY,
        "extract_id": f"{cutoff.isoformat()}-{profile}-{seed}",
        "data_cutoff_date": cutoff.isoformat(),
        "created_at": created_at(cutoff, seed),
        "contract_version": load_contract().version,
        "files": {name: {"rows": rows[name], "sha256": sha256_of(out_dir / name)} for name in sorted(rows)},
    }


def write_manifest(out_dir: Path, manifest: dict) -> None:
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
