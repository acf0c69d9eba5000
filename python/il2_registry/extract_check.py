"""Extract verification: the extract folder against its manifest.json and the contract.

Runs before anything is built (dbt `on-run-start`, through the SQL function
`il2_verify_extract` that `dbt_plugin.py` registers). The checks are pure functions that
return a list of problems; only `verify_extract_sql_entry` raises, so that the dbt run stops
with one message naming every file and what is wrong with it.

The contract (which files, which columns each must have) is passed in as JSON by the hook,
which builds it from the source YAML (`models/staging/_registry__sources.yml`), so the list
of required columns lives in one place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

MANIFEST_NAME = "manifest.json"
SHA_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class FileFacts:
    """What the file itself says: its header columns and its number of data rows."""

    columns: tuple[str, ...]
    rows: int


def sha256_of(path: Path, chunk_bytes: int = SHA_CHUNK_BYTES) -> str:
    """SHA-256 of a file, streamed in chunks so that a 1 GB file does not sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def csv_read_expression(path: Path) -> str:
    """The DuckDB reader used everywhere for extract files (same options as the dbt sources)."""
    literal = str(path).replace("'", "''")
    return (
        f"read_csv('{literal}', all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')"
    )


def read_file_facts(path: Path) -> FileFacts:
    """Header and data-row count as DuckDB reads them (quoted newlines are not rows)."""
    with duckdb.connect() as con:
        header = con.execute(
            "select column_name from (describe select * from " + csv_read_expression(path) + ")"
        ).fetchall()
        (rows,) = con.execute("select count(*) from " + csv_read_expression(path)).fetchone()
    return FileFacts(columns=tuple(name for (name,) in header), rows=int(rows))


def load_manifest(extract_dir: Path) -> tuple[dict | None, list[str]]:
    """The parsed manifest, or None with the problems that make it unusable."""
    path = extract_dir / MANIFEST_NAME
    if not path.is_file():
        return None, [f"{MANIFEST_NAME}: missing (expected at {path})"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [f"{MANIFEST_NAME}: unreadable JSON ({error})"]
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None, [f"{MANIFEST_NAME}: no 'files' object listing the extract files"]
    problems = [
        f"{MANIFEST_NAME}: missing '{key}'"
        for key in ("extract_id", "data_cutoff_date")
        if not isinstance(manifest.get(key), str) or not manifest.get(key)
    ]
    return manifest, problems


def check_file(
    name: str, required_columns: Sequence[str], entry: object, facts: FileFacts, sha256: str
) -> list[str]:
    """Problems of one present file against its manifest entry and its required columns."""
    problems: list[str] = []
    missing = [column for column in required_columns if column not in facts.columns]
    if missing:
        problems.append(f"{name}: missing required column(s) {', '.join(missing)}")
    if not isinstance(entry, Mapping):
        return [*problems, f"{name}: no entry in {MANIFEST_NAME}"]
    expected_rows = entry.get("rows")
    if expected_rows != facts.rows:
        problems.append(f"{name}: {facts.rows} data rows in the file, {MANIFEST_NAME} says {expected_rows}")
    expected_sha = str(entry.get("sha256", "")).lower()
    if expected_sha != sha256:
        problems.append(f"{name}: SHA-256 {sha256} differs from {MANIFEST_NAME} ({expected_sha or 'none'})")
    return problems


def extra_columns(required_columns: Sequence[str], facts: FileFacts) -> list[str]:
    """Header columns the contract does not know (ignored by the warehouse, reported as findings)."""
    return [column for column in facts.columns if column not in required_columns]


def verify_extract(extract_dir: Path, contract: Mapping[str, Sequence[str]]) -> list[str]:
    """Every problem that makes the extract unusable; an empty list means it may be built."""
    if not extract_dir.is_dir():
        return [f"extract folder {extract_dir} does not exist"]
    manifest, problems = load_manifest(extract_dir)
    if manifest is None:
        return problems
    present = [name for name in sorted(contract) if (extract_dir / name).is_file()]
    # The SHA-256 of every file is computed in a background thread while DuckDB counts the
    # rows (both release the GIL): the check takes about the longer of the two, not their
    # sum. Every digest is awaited before this function answers, so nothing is built from
    # an extract that fails its manifest.
    with ThreadPoolExecutor(max_workers=1) as hasher:
        digests = {name: hasher.submit(sha256_of, extract_dir / name) for name in present}
        for name, required_columns in sorted(contract.items()):
            path = extract_dir / name
            if name not in digests:
                problems.append(f"{name}: missing file")
                continue
            try:
                facts = read_file_facts(path)
            except duckdb.Error as error:
                problems.append(f"{name}: cannot be read as CSV ({str(error).splitlines()[0]})")
                continue
            entry = manifest["files"].get(name)
            problems += check_file(name, required_columns, entry, facts, digests[name].result())
    return problems


def manifest_files_entry(path: Path) -> dict[str, object]:
    """The manifest entry of one file (used to write fixture manifests)."""
    return {"rows": read_file_facts(path).rows, "sha256": sha256_of(path)}


def resolve_extract_dir(extract_dir: str, project_root: Path | None = None) -> Path:
    """A relative extract_dir is relative to the project root (where dbt runs)."""
    path = Path(extract_dir)
    if not path.is_absolute():
        from il2_registry.paths import project_root as default_root

        path = (project_root or default_root()) / path
    return path.resolve()


def verify_extract_sql_entry(extract_dir: str, contract_json: str) -> str:
    """SQL entry point: raises (stopping the dbt run) when the extract is not usable."""
    contract = json.loads(contract_json)
    folder = resolve_extract_dir(extract_dir)
    problems = verify_extract(folder, contract)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise RuntimeError(f"EXTRACT ERROR in {folder}; nothing was built:\n{listing}")
    return f"extract {folder} verified: {len(contract)} files match manifest.json"
