"""manifest.json: the extract's identity and, per file, its record count and SHA-256.

`il2reg extract manifest` writes one for an export that lacks it (counting records as the
warehouse counts them); the extract check and the build read it back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from il2_registry.contract import load_contract
from il2_registry.extract_reader import read_file_facts, sha256_of

MANIFEST_NAME = "manifest.json"
REGISTRY = "HD IL-2 registry"


class ManifestError(Exception):
    """The manifest cannot be written (it exists, a file is missing, a bad cut-off)."""


def files_entry(path: Path) -> dict[str, object]:
    """The manifest entry of one file: records as the warehouse counts them, and SHA-256."""
    return {"rows": read_file_facts(path).rows, "sha256": sha256_of(path)}


def parse_cutoff(text: str) -> date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ManifestError(f"--cutoff {text!r} is not a date YYYY-MM-DD")


def build_manifest(
    extract_dir: Path,
    *,
    extract_id: str,
    cutoff: date,
    file_names: Iterable[str],
    contract_version: int,
    created_at: str,
) -> dict:
    missing = [name for name in file_names if not (extract_dir / name).is_file()]
    if missing:
        raise ManifestError(f"{extract_dir}: missing contract file(s) {', '.join(missing)}")
    return {
        "registry": REGISTRY,
        "extract_id": extract_id,
        "data_cutoff_date": cutoff.isoformat(),
        "created_at": created_at,
        "contract_version": contract_version,
        "files": {name: files_entry(extract_dir / name) for name in sorted(file_names)},
    }


def write_manifest(extract_dir: Path, extract_id: str, cutoff: str, *, force: bool = False) -> Path:
    """Write manifest.json for the contract's files; refuses to replace one unless `force`."""
    target = extract_dir / MANIFEST_NAME
    if not extract_dir.is_dir():
        raise ManifestError(f"extract folder {extract_dir} does not exist")
    if target.exists() and not force:
        raise ManifestError(f"{target} exists; pass --force to replace it")
    if not extract_id.strip():
        raise ManifestError("--extract-id must not be empty")
    contract = load_contract()
    manifest = build_manifest(
        extract_dir,
        extract_id=extract_id.strip(),
        cutoff=parse_cutoff(cutoff),
        file_names=contract.file_names,
        contract_version=contract.version,
        created_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    target.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def load_manifest(extract_dir: Path) -> tuple[dict | None, str | None]:
    """The parsed manifest, or None with why it is unusable."""
    path = extract_dir / MANIFEST_NAME
    if not path.is_file():
        return None, f"missing (expected at {path}); write one with `il2reg extract manifest`"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"unreadable JSON ({error})"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None, "no 'files' object listing the extract files"
    return manifest, None
