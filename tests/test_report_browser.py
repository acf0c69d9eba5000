"""The rendered report in a real browser: headless Chromium (Debian's package) driven over the
DevTools protocol on a pipe (--remote-debugging-pipe: no port, no websocket dependency).

Checks that the page loads offline with no console error, no failed or external request, that
both figures are decoded and shown at a readable size, and that key numbers are on screen.
Full-page screenshots are kept in test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import il2_registry
from il2_registry.report.build import build_report
from test_report_synthetic import build_synthetic_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_S = 60.0


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed by the Makefile's `browser` target when missing."""
    if not CHROMIUM.exists():
        result = subprocess.run(
            ["make", "-C", str(PROJECT_ROOT), "browser"], text=True, capture_output=True, check=False
        )
        assert CHROMIUM.exists(), (
            f"`make browser` did not install chromium:\n{result.stdout}\n{result.stderr}"
        )
    return CHROMIUM


class DevToolsPipe:
    """A minimal Chrome DevTools protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out,
    NUL-terminated JSON messages)."""

    def __init__(self, binary: Path, profile_dir: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child_fds() -> None:  # runs in the child, before exec
            # Park the pipe ends on high numbers first (they may themselves be 3 or 4), then
            # place them on 3 and 4; dup2 leaves the copies inheritable across exec.
            os.dup2(to_browser_r, 100)
            os.dup2(from_browser_w, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        self.stderr_file = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(binary), *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr_file,
            preexec_fn=child_fds,
            close_fds=False,  # 3 and 4 must survive; Python's own fds are close-on-exec anyway
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message from chromium in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe: " + self.stderr_text()[-2000:])
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def stderr_text(self) -> str:
        self.stderr_file.seek(0)
        return self.stderr_file.read().decode(errors="replace")

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self.stderr_file.close()


@dataclass
class PageCheck:
    text: str
    images: list[dict[str, Any]]
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requested_urls: list[str] = field(default_factory=list)


PAGE_PROBE = """JSON.stringify({
  text: document.body.innerText,
  images: Array.from(document.images).map(i => ({
    alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth,
    shownWidth: i.getBoundingClientRect().width, shownHeight: i.getBoundingClientRect().height}))
})"""


def open_in_browser(binary: Path, page: Path, screenshots: dict[str, Path]) -> PageCheck:
    """Load `page` from file://, collect errors and requests, take a top and a full-page shot."""
    with tempfile.TemporaryDirectory(prefix="il2-chromium-") as profile:
        browser = DevToolsPipe(binary, Path(profile))
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            browser.wait_for("Page.loadEventFired")
            probe = browser.send(
                "Runtime.evaluate", {"expression": PAGE_PROBE, "returnByValue": True}, session=session
            )
            found = json.loads(probe["result"]["value"])
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            screenshots["top"].write_bytes(base64.b64decode(shot["data"]))
            metrics = browser.send("Page.getLayoutMetrics", session=session)
            size = metrics["cssContentSize"]
            full = browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
                },
                session=session,
            )
            screenshots["full"].write_bytes(base64.b64decode(full["data"]))
        finally:
            browser.close()
    check = PageCheck(text=found["text"], images=found["images"])
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            check.console_errors.append(json.dumps(params.get("args"))[:500])
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description", "")
            check.console_errors.append(f"{details.get('text', '')} {description}"[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            check.console_errors.append(params["entry"].get("text", "")[:500])
        elif method == "Network.loadingFailed":
            check.failed_requests.append(f"{params.get('errorText')} {params.get('requestId')}")
        elif method == "Network.requestWillBeSent":
            check.requested_urls.append(params.get("request", {}).get("url", "")[:120])
    return check


def test_devtools_pipe_reports_console_errors(chromium: Path, tmp_path: Path) -> None:
    """The checker itself must be able to fail: a page with a script error and a broken image."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!doctype html><html><body><p>hello</p><img src='missing.png' alt='x'>"
        "<script>console.error('boom'); undefined_function();</script></body></html>"
    )
    shots = {"top": tmp_path / "top.png", "full": tmp_path / "full.png"}
    check = open_in_browser(chromium, page, shots)
    assert "hello" in check.text
    assert any("boom" in e for e in check.console_errors)
    assert any("undefined_function" in e for e in check.console_errors)
    assert check.failed_requests, "the missing image must be seen as a failed request"
    assert check.images[0]["naturalWidth"] == 0


def assert_page_is_sound(check: PageCheck) -> None:
    assert check.console_errors == []
    assert check.failed_requests == []
    external = [u for u in check.requested_urls if not u.startswith(("file:", "data:", "about:"))]
    assert external == [], "the page must open offline"
    assert len(check.images) == 2, check.images
    for image in check.images:
        assert image["complete"] and image["naturalWidth"] > 1000, image
        # A clinician reads the curves at no less than about 900 CSS pixels wide.
        assert image["shownWidth"] >= 900, image


def render_and_check(chromium: Path, warehouse: Path, out: Path, name: str) -> PageCheck:
    result = build_report(warehouse, out)
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"top": ARTIFACTS / f"report_{name}_top.png", "full": ARTIFACTS / f"report_{name}_full.png"}
    check = open_in_browser(chromium, result.page, shots)
    for endpoint, paths in result.figures.items():
        shutil.copy(paths["png"], ARTIFACTS / f"report_{name}_{endpoint}.png")
    assert_page_is_sound(check)
    for heading in (
        "Table 1. Best response to HD IL-2",
        "Figure 1. Overall survival",
        "Figure 2. Progression-free survival",
        "Published vs reproduced",
    ):
        assert heading in check.text
    return check


def test_synthetic_report_in_browser(chromium: Path, tmp_path: Path) -> None:
    warehouse = build_synthetic_warehouse(tmp_path / "wh.duckdb", with_cox=True)
    check = render_and_check(chromium, warehouse, tmp_path / "report", "synthetic")
    text = check.text.replace("\u00a0", " ")
    assert "synthetic-2018-03-31" in text and "2018-03-31" in text
    assert f"il2_registry {il2_registry.__version__}" in text
    # Table 1, mM after PD-1/PD-L1 (N = 4): one patient each of initial PR, SD, PD, NE -> "1 (25)"
    assert "mM (N = 4)" in text and "1 (25)" in text
    # ORR all prior_icb: P1 CR, P2 PR, R1 CR of 6 -> 50.0 %, exact CI 11.8-88.2
    assert "3 / 6" in text and "11.8–88.2" in text
    # Survival table: mM OS after PD-1/PD-L1 median 24.0 months; log-rank p 0.042
    assert "24.0" in text and "0.042" in text
    # Cox row of the fixture: HR 0.8 (0.5-1.3), p 0.35, to three decimals (as p)
    assert "0.800 (0.500–1.300); p 0.350" in text


@pytest.mark.slow
def test_paper_report_in_browser(chromium: Path, paper_warehouse: Path, tmp_path: Path) -> None:
    """The report of the paper-profile warehouse (built by dbt from the generated extract)."""
    out = tmp_path / "report"
    check = render_and_check(chromium, paper_warehouse, out, "paper")
    text = check.text.replace("\u00a0", " ")
    # Key numbers, counted here straight from the marts, must be on screen.
    con = duckdb.connect(str(paper_warehouse), read_only=True)
    try:
        extract_id, cutoff = con.execute(
            "select extract_id, data_cutoff_date from core.dim_extract"
        ).fetchone()
        n_mm, responders_mm = con.execute(
            """
            select count(*), count(*) filter (where best_overall_response in ('CR', 'PR'))
            from marts.best_response where cohort = 'prior_icb' and disease = 'mM'
            """
        ).fetchone()
    finally:
        con.close()
    assert str(extract_id) in text and str(cutoff) in text
    assert f"mM (N = {n_mm})" in text
    assert f"{responders_mm} / {n_mm}" in text
    # The verdict on the page agrees with the comparison written beside it.
    comparison = pd.read_csv(out / "published_vs_reproduced.csv")
    matched = int((comparison["match"] == "yes").sum())
    assert f"{matched} of {len(comparison)} published figures match" in text
