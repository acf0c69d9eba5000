"""The layers of docs/architecture.md hold: no model reads a layer its folder may not.

The rules are read from the page itself (its "Per folder" and "Exceptions" tables), so the page
and the check cannot drift apart; the project's own graph comes from dbt's manifest.json after
`dbt parse`. A synthetic manifest shows the check fails on a forbidden edge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, run_dbt

ARCHITECTURE = PROJECT_ROOT / "docs" / "architecture.md"


def _table(text: str, header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _names(cell: str) -> set[str]:
    return set() if cell == "(nothing)" else {name.strip() for name in cell.split(",")}


def layer_rules(text: str) -> tuple[dict[str, set[str]], dict[str, set[str]], set[tuple[str, str]]]:
    """({folder: may read}, {folder: read by}, {(model, parent) allowed as exceptions})."""
    rows = _table(text, "| folder | may read | read by |")
    may_read = {folder: _names(reads) for folder, reads, _ in rows}
    read_by = {folder: _names(readers) for folder, _, readers in rows}
    exceptions = {(model, parent) for model, parent, _ in _table(text, "| model | may also read | why |")}
    return may_read, read_by, exceptions


def layer_of(node: dict, folders: set[str]) -> str | None:
    """The folder of a manifest node: source, seeds, analyses or the longest models/ folder."""
    kind = node["resource_type"]
    if kind in ("source", "seed"):
        return {"source": "source", "seed": "seeds"}[kind]
    path = node["original_file_path"]
    if kind == "analysis":
        return "analyses"
    if not path.startswith("models/"):
        return None
    folder = str(Path(path).parent.relative_to("models"))
    while folder and folder != ".":
        if folder in folders:
            return folder
        folder = str(Path(folder).parent)
    return None


def _node_name(node: dict, layer: str) -> str:
    return f"{layer}/{node['name']}" if node["resource_type"] != "source" else "source"


def violations(manifest: dict, text: str) -> list[str]:
    """One line per model or analysis edge the layer rules forbid (and per model in no folder)."""
    may_read, _, exceptions = layer_rules(text)
    folders = set(may_read)
    nodes = {**manifest["nodes"], **manifest.get("sources", {})}
    found = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "analysis"):
            continue
        layer = layer_of(node, folders)
        if layer is None:
            found.append(f"{node['original_file_path']}: in no folder of docs/architecture.md")
            continue
        for parent_id in node["depends_on"]["nodes"]:
            parent = nodes.get(parent_id)
            if parent is None:
                continue
            parent_layer = layer_of(parent, folders)
            if parent_layer in may_read[layer]:
                continue
            if (_node_name(node, layer), _node_name(parent, parent_layer or "?")) in exceptions:
                continue
            if (_node_name(node, layer), parent_layer) in exceptions:
                continue
            found.append(f"{node['original_file_path']} ({layer}) reads {parent_id} ({parent_layer})")
    return sorted(found)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("architecture")
    result = run_dbt(
        ["parse"],
        warehouse=work / "warehouse" / "il2_registry.duckdb",
        extract_dir=PROJECT_ROOT / "data" / "extract",
        work_dir=work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((work / "target" / "manifest.json").read_text())


def test_every_model_reads_only_the_layers_its_folder_may(manifest):
    assert violations(manifest, ARCHITECTURE.read_text()) == []


def test_the_read_by_column_is_the_may_read_column_turned_round():
    may_read, read_by, _ = layer_rules(ARCHITECTURE.read_text())
    derived = {
        folder: {reader for reader, reads in may_read.items() if folder in reads} for folder in may_read
    }
    # a folder that reads itself is not listed as its own reader
    derived = {folder: readers - {folder} for folder, readers in derived.items()}
    assert read_by == derived


def test_every_model_folder_of_the_project_has_a_rule():
    may_read, _, _ = layer_rules(ARCHITECTURE.read_text())
    folders = {
        str(p.parent.relative_to(PROJECT_ROOT / "models")) for p in (PROJECT_ROOT / "models").rglob("*.sql")
    }
    assert {f for f in folders if not any(f == k or f.startswith(k + "/") for k in may_read)} == set()


def _node(unique_id: str, kind: str, path: str, depends_on: list[str] = ()) -> dict:
    name = re.sub(r"\.\w+$", "", Path(path).name)
    return {
        "unique_id": unique_id,
        "name": name,
        "resource_type": kind,
        "original_file_path": path,
        "depends_on": {"nodes": list(depends_on), "macros": []},
    }


def test_a_forbidden_edge_fails():
    """A synthetic manifest: a mart reading staging (forbidden), a rule reading core (allowed),
    a model in a folder of its own (no rule), and the one documented exception (allowed)."""
    manifest = {
        "nodes": {
            "model.p.stg_registry__patients": _node(
                "model.p.stg_registry__patients", "model", "models/staging/stg_registry__patients.sql"
            ),
            "model.p.stg_registry__manifest": _node(
                "model.p.stg_registry__manifest", "model", "models/staging/stg_registry__manifest.sql"
            ),
            "model.p.dim_patient": _node("model.p.dim_patient", "model", "models/core/dim_patient.sql"),
            "model.p.dim_extract": _node(
                "model.p.dim_extract",
                "model",
                "models/core/dim_extract.sql",
                ["model.p.stg_registry__manifest"],
            ),
            "model.p.int_cohort": _node(
                "model.p.int_cohort",
                "model",
                "models/intermediate/rules/int_cohort.sql",
                ["model.p.dim_patient"],
            ),
            "model.p.cohort": _node(
                "model.p.cohort", "model", "models/marts/cohort.sql", ["model.p.stg_registry__patients"]
            ),
            "model.p.stray": _node("model.p.stray", "model", "models/scratch/stray.sql"),
        },
        "sources": {},
    }
    assert violations(manifest, ARCHITECTURE.read_text()) == [
        "models/marts/cohort.sql (marts) reads model.p.stg_registry__patients (staging)",
        "models/scratch/stray.sql: in no folder of docs/architecture.md",
    ]
