"""The report's "Since the previous lock" section: what changed since the archive's previous lock.

`lock_changes` finds the previous lock of the warehouse being reported (il2_registry.locks) and
diffs it with this warehouse (il2_registry.diff); `since_lock_html` renders the summary. The full
diff is written beside the report by the caller and linked from the section.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

DIFF_JSON = "since_previous_lock.json"


def lock_changes(warehouse: Path, extract_id: str) -> dict[str, Any] | None:
    """The diff from the previous archived lock to this warehouse, or None without one."""
    from il2_registry.diff import diff_locks, read_lock
    from il2_registry.locks import previous_lock

    previous = previous_lock(warehouse, extract_id)
    if previous is None:
        return None
    return diff_locks(read_lock(Path(previous["file"])), read_lock(warehouse))


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def since_lock_html(diff: dict[str, Any], link: str = DIFF_JSON) -> str:
    from il2_registry.diff import summarise

    summary = summarise(diff)
    counts = [
        ["Patients added", summary["patients_added"]],
        ["Patients removed (withdrawn or deleted)", summary["patients_removed"]],
        ["Patients with a changed derivation", summary["patients_changed"]],
        *[[f"… {field}", n] for field, n in sorted(summary["changes_per_field"].items())],
    ]
    moved = [[f["figure"], f["from"], f["to"]] for f in summary["figures_moved"]]
    rejected = [[r["file"], r["reason"], r["from"], r["to"]] for r in summary["rejected_changed"]]
    findings = [[f["check"], f["new"], f["resolved"]] for f in summary["findings_changed"]]
    parts = [
        "<h2 id='since-lock'>Since the previous lock</h2>",
        f"<p class='note'>From lock <b>{escape(diff['from'])}</b> to <b>{escape(diff['to'])}</b>. "
        f"The full list of changes, per patient and field, is in <a href='{escape(link)}'>{escape(link)}</a> "
        "(also `il2reg diff`).</p>",
        _table(["Change", "Count"], counts),
        f"<h3>Figures that moved ({len(moved)} of {len(diff['figures'])})</h3>",
        _table(["Figure", "Previous lock", "This lock"], moved) if moved else "<p>None.</p>",
        "<h3>Rejected rows</h3>",
        _table(["File", "Reason", "Previous", "This"], rejected) if rejected else "<p>No change.</p>",
        "<h3>Data-quality findings</h3>",
        _table(["Check", "New", "Resolved"], findings) if findings else "<p>No change.</p>",
    ]
    return "\n".join(parts)
