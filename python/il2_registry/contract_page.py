"""The human-readable contract page (docs/contract_columns.md), rendered from the one spec.

`il2reg extract contract-page --out docs/contract_columns.md` writes it; a test checks that
the committed page is what the spec renders, so the page cannot drift from the spec.
"""

from __future__ import annotations

from il2_registry.contract import ColumnSpec, Contract, FileSpec

PAGE_PATH = "docs/contract_columns.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def column_row(column: ColumnSpec) -> str:
    notes = []
    if column.phi:
        notes.append(
            "PHI: stays in staging, redacted in messages" + ("; not kept" if not column.keep else "")
        )
    if column.free_text:
        notes.append("free text")
    if column.header_aliases:
        notes.append("header also recognised as " + ", ".join(column.header_aliases) + " (suggested)")
    cells = [
        f"`{column.name}`",
        column.kind,
        column.requirement(),
        column.valid(),
        "; ".join(notes),
        column.description,
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def file_section(spec: FileSpec) -> list[str]:
    facts = [f"may be empty: {'yes' if spec.may_be_empty else 'no'}"]
    if spec.key_columns:
        facts.append("key: " + ", ".join(spec.key_columns))
    if spec.parent:
        facts.append(f"parent: {spec.parent}.csv ({spec.parent_key})")
    if spec.feeds_endpoints:
        facts.append("feeds endpoints: " + ", ".join(spec.feeds_endpoints))
    return [
        f"## `{spec.file_name}`",
        "",
        spec.description,
        "",
        "; ".join(facts) + ".",
        "",
        "| column | kind | required | valid | notes | description |",
        "|---|---|---|---|---|---|",
        *(column_row(column) for column in spec.columns),
        "",
    ]


def render_contract_page(contract: Contract) -> str:
    tokens = ", ".join(f"`{token}`" if token else "empty" for token in contract.na_tokens)
    lines = [
        "# Extract contract: files and columns",
        "",
        "<!-- Generated from models/staging/_registry__sources.yml by"
        f" `il2reg extract contract-page --out {PAGE_PATH}`; do not edit by hand. -->",
        "",
        f"Contract version {contract.version}. Every column listed is required in the file's header",
        "(in any order), even when its values may be empty. Missing values: " + tokens + " (any case,",
        "any padding). A required value that is missing or invalid rejects the row; any other invalid",
        "value is set to null and reported (docs/bad_rows.md). PHI columns: "
        + ", ".join(f"`{name}`" for name in contract.phi_columns)
        + ".",
        "",
    ]
    for spec in contract.files:
        lines += file_section(spec)
    return "\n".join(lines).rstrip() + "\n"
