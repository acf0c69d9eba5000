"""docs/marts.md documents every published column: the test reads the columns of the built
paper warehouse (information_schema) and looks for each one in the part of docs/marts.md that
is about its relation (core's star schema: models/core/README.md, as docs/marts.md says).

A part is a heading or a top-level bullet with its continuation lines (in the core README, a
table row); a column counts as documented for a relation when its name appears, as a whole
word, in a part that names the relation (`marts.cohort`, `audit.findings`, `dim_patient`).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MARTS_DOC = PROJECT_ROOT / "docs" / "marts.md"
CORE_README = PROJECT_ROOT / "models" / "core" / "README.md"
DOCUMENTED_IN = {"marts": MARTS_DOC, "audit": MARTS_DOC, "terminology": MARTS_DOC, "core": CORE_README}


def parts(text: str) -> list[str]:
    """Headings, top-level bullets (with their indented continuation) and table rows."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        starts_part = line.startswith(("#", "- ", "|")) or not line.strip()
        if starts_part or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks]


def documented_columns(text: str, schema: str, table: str) -> set[str]:
    qualified = re.compile(rf"(?<![\w.]){re.escape(schema)}\.{re.escape(table)}(?!\w)")
    bare = re.compile(rf"`{re.escape(table)}`")
    words: set[str] = set()
    sections = parts(text)
    for index, part in enumerate(sections):
        names_it = qualified.search(part) or (schema == "core" and bare.search(part))
        if not names_it:
            continue
        words |= set(re.findall(r"[a-z_][a-z0-9_]*", part))
        # A heading owns the paragraphs under it, up to the next heading.
        if part.startswith("#"):
            for following in sections[index + 1 :]:
                if following.startswith("#"):
                    break
                words |= set(re.findall(r"[a-z_][a-z0-9_]*", following))
    return words


def undocumented(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            f"where table_schema in {tuple(DOCUMENTED_IN)} order by all"
        ).fetchall()
    texts = {path: path.read_text() for path in set(DOCUMENTED_IN.values())}
    cache: dict[tuple[str, str], set[str]] = {}
    missing = []
    for schema, table, column in columns:
        key = (schema, table)
        if key not in cache:
            cache[key] = documented_columns(texts[DOCUMENTED_IN[schema]], schema, table)
        if column.lower() not in cache[key]:
            missing.append(f"{schema}.{table}.{column}")
    return missing


def test_the_check_can_fail():
    doc = "- `marts.cohort` (one row per patient): patient_id, disease.\n- `marts.other`: cohort.\n"
    assert documented_columns(doc, "marts", "cohort") >= {"patient_id", "disease"}
    assert "site_id" not in documented_columns(doc, "marts", "cohort")
    assert "patient_id" not in documented_columns(doc, "marts", "other")


def test_every_published_column_is_in_the_docs(paper_warehouse):
    missing = undocumented(paper_warehouse)
    assert missing == [], f"document these in {MARTS_DOC.name} (or core/README.md): {missing}"
