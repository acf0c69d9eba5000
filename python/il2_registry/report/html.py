"""Render the report as one self-contained HTML page (inline CSS, figures as data URIs)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

import pandas as pd

from il2_registry.report.tables import Table

CSS = """
:root { --ink: #1d232b; --muted: #5b6470; --line: #d9dde3; --ok: #1b7f3b; --bad: #b3261e; --bg-alt: #f6f7f9; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0;
       line-height: 1.45; font-size: 15px; background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 40px 0 10px; padding-top: 6px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 18px;
          font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
.verdict { padding: 12px 16px; border-radius: 6px; font-size: 16px; margin: 8px 0 18px; border: 1px solid; }
.verdict.ok { background: #e9f6ee; border-color: #9fd3b1; }
.verdict p.caveat { font-size: 13.5px; margin: 8px 0 0; max-width: 1000px; }
.verdict table { margin-top: 8px; font-size: 13px; background: #fff; }
.verdict.bad { background: #fdeceb; border-color: #efb0aa; }
.verdict.neutral { background: #f3f4f6; border-color: #c9ccd1; }
nav ol { columns: 2; margin: 0; padding-left: 20px; font-size: 14px; }
table { border-collapse: collapse; margin: 6px 0 6px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; font-size: 15px; padding: 0 0 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
.label { text-align: left; }
td.label { white-space: pre; }
td.label.wrap { white-space: pre-wrap; }
.num { text-align: right; }
td.num { white-space: nowrap; }
td.num.wrap { white-space: normal; min-width: 14em; }
tbody tr:hover { background: #fafbfc; }
.scroll { overflow-x: auto; }
p.note { color: var(--muted); font-size: 13px; margin: 2px 0 10px; max-width: 1000px; }
figure { margin: 10px 0 24px; }
figure img { width: 100%; max-width: 1200px; height: auto; border: 1px solid var(--line); }
figcaption { font-size: 14px; color: var(--ink); margin-top: 6px; }
figcaption a { color: #0b57d0; }
td.match-yes { color: var(--ok); font-weight: 600; }
td.match-no { color: var(--bad); font-weight: 600; }
tr.mismatch td { background: #fff5f4; }
table.comparison td:nth-child(2) { min-width: 24em; }
footer { color: var(--muted); font-size: 13px; margin-top: 40px; border-top: 1px solid var(--line);
         padding-top: 10px; }
@media print { nav { display: none; } h2 { break-before: auto; } }
"""


NOWRAP_MAX_CHARS = 30


@dataclass
class FigureBlock:
    key: str
    title: str
    caption: str
    png: bytes
    files: dict[str, str]  # format -> file name beside the page


@dataclass
class PageMeta:
    extract_id: str
    data_cutoff_date: str
    built_at: str
    version: str
    warehouse: str


def table_html(
    frame: pd.DataFrame,
    caption: str | None = None,
    row_classes: list[str] | None = None,
    label_columns: int = 1,
    table_class: str | None = None,
) -> str:
    """A plain HTML table: the first `label_columns` columns left-aligned, figures right-aligned."""

    def cls(j: int, column: str, value: str | None = None) -> str:
        classes = ["label" if j < label_columns else "num"]
        if value is not None and len(value) > NOWRAP_MAX_CHARS:
            classes.append("wrap")  # long text may wrap; figures and short labels never do
        if column == "match" and value is not None:
            classes.append(f"match-{value}")
        return f" class='{' '.join(classes)}'"

    head = "".join(
        f"<th scope='col'{cls(j, str(c))}>{escape(str(c))}</th>" for j, c in enumerate(frame.columns)
    )
    body = []
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = "".join(
            f"<td{cls(j, str(column), str(value))}>{escape(str(value))}</td>"
            for j, (column, value) in enumerate(zip(frame.columns, row, strict=True))
        )
        row_cls = f" class='{row_classes[i]}'" if row_classes and row_classes[i] else ""
        body.append(f"<tr{row_cls}>{cells}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    table_attr = f" class='{table_class}'" if table_class else ""
    return (
        f"<div class='scroll'><table{table_attr}>"
        f"{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def section_table(table: Table) -> str:
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in table.notes)
    body = table_html(table.frame, table.title, label_columns=table.label_columns)
    return f"<section id='{table.key}'>{body}{notes}</section>"


def figure_html(block: FigureBlock) -> str:
    data = base64.b64encode(block.png).decode("ascii")
    links = " · ".join(f"<a href='{escape(name)}'>{fmt.upper()}</a>" for fmt, name in block.files.items())
    return (
        f"<figure id='{block.key}'><img src='data:image/png;base64,{data}' alt='{escape(block.title)}'>"
        f"<figcaption><strong>{escape(block.title)}.</strong> {escape(block.caption)} "
        f"Files: {links}</figcaption></figure>"
    )


def verdict_class(comparison: pd.DataFrame, infeasible: set[tuple[str, str]] | None = None) -> str:
    """`ok` when every figure matches; `neutral` when every one that does not is shown infeasible
    (published figures no extract can reproduce together); `bad` otherwise."""
    misses = comparison[comparison["match"] != "yes"]
    if misses.empty:
        return "ok"
    unexplained = [
        key
        for key in zip(misses["section"], misses["figure"], strict=True)
        if key not in (infeasible or set())
    ]
    return "neutral" if not unexplained else "bad"


def verdict_html(
    comparison: pd.DataFrame, caveats: list[str] | None = None, infeasible: set[tuple[str, str]] | None = None
) -> str:
    total = len(comparison)
    matched = int((comparison["match"] == "yes").sum())
    ok = matched == total
    kind = verdict_class(comparison, infeasible)
    text = (
        f"Published vs reproduced: <strong>{matched} of {total}</strong> published figures "
        f"match within tolerance"
    )
    if not ok:
        text += (
            f"; <strong>{total - matched}</strong> do not "
            "(highlighted in the <a href='#comparison'>table</a>)"
        )
        if kind == "neutral":
            text += ", each of them one the paper's own figures make impossible (below)"
    by_section = section_summary(comparison)
    summary = table_html(by_section, None, label_columns=3)
    notes = "".join(f"<p class='caveat'>{escape(c)}</p>" for c in caveats or [])
    return f"<div class='verdict {kind}' id='verdict'>{text}.{summary}{notes}</div>"


def section_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per section of the published values: figures, how many match, which do not (first few)."""
    rows = []
    for section, group in comparison.groupby("section", sort=False):
        misses = group[group["match"] != "yes"]["figure"].tolist()
        shown = ", ".join(misses[:4]) + (f" and {len(misses) - 4} more" if len(misses) > 4 else "")
        rows.append(
            {
                "Section": section,
                "Match": f"{len(group) - len(misses)} / {len(group)}",
                "Not matching": shown or "–",
            }
        )
    return pd.DataFrame(rows, columns=["Section", "Match", "Not matching"])


def render_page(
    meta: PageMeta,
    tables: list[Table],
    figures: list[FigureBlock],
    comparison: pd.DataFrame,
    definitions: list[str],
    caveats: list[str] | None = None,
    since_lock: str = "",
    infeasible: set[tuple[str, str]] | None = None,
) -> str:
    by_key = {t.key: t for t in tables}
    first = ["table1_prior_icb", "orr"]
    rest = [t for t in tables if t.key not in first and t.key != "table1_il2_alone"]
    toc = [("table1_prior_icb", "Table 1. Best response"), ("orr", "Objective response rate")]
    toc += [(f.key, f.title) for f in figures]
    toc += [(t.key, t.title) for t in rest]
    if since_lock:
        toc.insert(0, ("since-lock", "Since the previous lock"))
    toc += [("comparison", "Published vs reproduced"), ("definitions", "Definitions")]
    nav = "".join(f"<li><a href='#{k}'>{escape(title)}</a></li>" for k, title in toc)
    row_classes = ["mismatch" if m == "no" else "" for m in comparison["match"]]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>HD IL-2 registry report: IL-2 after PD-1/PD-L1 inhibition</title>",
        f"<style>{CSS}</style></head><body><main>",
        "<h1>High-dose IL-2 after PD-1/PD-L1 inhibition in mM and mRCC</h1>",
        "<p class='subtitle'>The registry paper's analysis, recomputed from the published warehouse, "
        "with every published figure compared with this extract.</p>",
        "<dl class='meta'>",
        f"<dt>Extract</dt><dd id='extract-id'>{escape(meta.extract_id)}</dd>",
        f"<dt>Data cut-off</dt><dd id='data-cutoff'>{escape(meta.data_cutoff_date)}</dd>",
        f"<dt>Report built</dt><dd>{escape(meta.built_at)}</dd>",
        f"<dt>Project version</dt><dd>il2_registry {escape(meta.version)}</dd>",
        f"<dt>Warehouse</dt><dd>{escape(meta.warehouse)}</dd>",
        "</dl>",
        verdict_html(comparison, caveats, infeasible),
        f"<nav><ol>{nav}</ol></nav>",
        since_lock,
        "<h2>Response</h2>",
        section_table(by_key["table1_prior_icb"]),
        section_table(by_key["table1_il2_alone"]) if "table1_il2_alone" in by_key else "",
        section_table(by_key["orr"]),
        "<h2>Survival figures</h2>",
        *[figure_html(f) for f in figures],
        "<h2>Patients, treatment, toxicity and outcome</h2>",
        *[section_table(t) for t in rest],
        "<h2 id='comparison'>Published vs reproduced</h2>",
        "<p class='note'>Every figure in the paper's published values, with the value this extract "
        "gives and the tolerance used (counts exact; means, minima and maxima ± 0.05; medians ± 0.1; "
        "figures printed to one decimal ± 0.05).</p>",
        table_html(comparison, None, row_classes, label_columns=2, table_class="comparison"),
        "<h2 id='definitions'>Definitions</h2><ul>",
        *[f"<li>{escape(d)}</li>" for d in definitions],
        "</ul>",
        f"<footer>il2_registry {escape(meta.version)} · extract {escape(meta.extract_id)} · "
        f"built {escape(meta.built_at)}</footer>",
        "</main></body></html>",
    ]
    return "\n".join(parts)
