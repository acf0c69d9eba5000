"""`make docs`: the dbt docs site for analysts, opened in headless Chromium (Debian's package,
driven as in test_report_browser.py), and every published column described.

The site is generated from the paper warehouse (the session fixture), as `make docs` does
from the published one.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from test_report_browser import DevToolsPipe, chromium  # noqa: F401 (fixture)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_SCHEMAS = ("marts", "core", "audit", "terminology")
COHORT = "model.il2_registry.cohort"

LINEAGE_PROBE = f"""(function() {{
  var graph = angular.element(document.body).injector().get('graph');
  var edges = (graph.graph.elements || []).filter(function(e) {{ return e.data.source; }});
  return JSON.stringify({{
    text: document.body.innerText,
    canvases: document.querySelectorAll('canvas').length,
    parents: edges.filter(function(e) {{ return e.data.target === '{COHORT}'; }})
                  .map(function(e) {{ return e.data.source; }}),
    children: edges.filter(function(e) {{ return e.data.source === '{COHORT}'; }})
                   .map(function(e) {{ return e.data.target; }})
  }});
}})()"""


@pytest.fixture(scope="module")
def docs_site(paper_warehouse: Path, paper_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    result = subprocess.run(
        ["make", "-C", str(PROJECT_ROOT), "docs", f"DOCS_DIR={out}", f"EXTRACT={paper_extract}"],
        env={**os.environ, "IL2_WAREHOUSE": str(paper_warehouse)},
        text=True,
        capture_output=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert (out / "static_index.html").is_file()
    return out


def _events_to_errors(events: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    errors, failed, requested = [], [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(json.dumps(params.get("args"))[:300])
        elif method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails", {}))[:300])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", "")[:300])
        elif method == "Network.loadingFailed":
            failed.append(json.dumps(params)[:300])
        elif method == "Network.requestWillBeSent":
            requested.append(params.get("request", {}).get("url", "")[:120])
    return errors, failed, requested


def open_page(binary: Path, url: str, probe: str, ready: str, timeout: float = 60.0) -> tuple[str, list]:
    """Load `url`, poll `probe` (JS returning a string) until it contains `ready`."""
    with tempfile.TemporaryDirectory(prefix="il2-chromium-") as profile:
        browser = DevToolsPipe(binary, Path(profile))
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_for("Page.loadEventFired")
            deadline, value = time.monotonic() + timeout, ""
            while time.monotonic() < deadline:
                reply = browser.send(
                    "Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=session
                )
                value = str(reply.get("result", {}).get("value", ""))
                if ready in value:
                    break
                time.sleep(0.5)
            time.sleep(1.0)  # let late requests and errors arrive
        finally:
            browser.close()
    return value, browser.events


def test_overview_for_analysts_and_unpublished_layers_hidden(chromium, docs_site):  # noqa: F811
    url = (docs_site / "static_index.html").resolve().as_uri() + "#!/overview"
    text, events = open_page(chromium, url, "document.body.innerText", "analyst's guide")
    assert "HD IL-2 registry warehouse: the analyst's guide" in text
    assert "Not published" in text
    # The menu lists the published layers only: no staging or intermediate model.
    assert "cohort" in text and "km_summary" in text
    assert "stg_registry__patients" not in text and "int_day1" not in text
    errors, failed, requested = _events_to_errors(events)
    assert errors == [] and failed == []
    assert [u for u in requested if not u.startswith(("file:", "data:", "about:"))] == []


def test_marts_cohort_and_its_lineage(chromium, docs_site):  # noqa: F811
    url = (docs_site / "static_index.html").resolve().as_uri() + f"#!/model/{COHORT}?g_v=1"
    value, events = open_page(chromium, url, LINEAGE_PROBE, "il2_registry.marts.cohort")
    page = json.loads(value)
    assert "il2_registry.marts.cohort" in page["text"]
    assert "Grain: one row per patient in the analysis" in page["text"]
    # marts join the one analysis-patients model (population and cohort), issue 15
    assert "Depends On" in page["text"] and "int_analysis_patients" in page["text"]
    # The lineage graph is drawn (cytoscape canvases) from edges into and out of marts.cohort.
    assert page["canvases"] > 0
    parents = {"model.il2_registry.int_analysis_patients", "model.il2_registry.dim_patient"}
    assert parents <= set(page["parents"])
    assert "model.il2_registry.int_cox_models_fitted" in page["children"]
    errors, failed, _ = _events_to_errors(events)
    assert errors == [] and failed == []


def test_every_published_column_is_described(docs_site, paper_warehouse):
    manifest = json.loads((docs_site / "manifest.json").read_text())
    with duckdb.connect(str(paper_warehouse), read_only=True) as con:
        published = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            f"where table_schema in {PUBLISHED_SCHEMAS}"
        ).fetchall()
    described = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] in ("model", "seed"):
            described[(node["schema"], node["alias"] or node["name"])] = {
                name.lower() for name, column in node["columns"].items() if column.get("description")
            }
    missing = [f"{s}.{t}.{c}" for s, t, c in published if c.lower() not in described.get((s, t), set())]
    assert len(published) > 250  # 297 on the paper warehouse: the check saw the tables
    assert missing == []
