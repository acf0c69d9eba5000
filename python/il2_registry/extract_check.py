"""The extract check: an extract folder against its manifest.json and the contract.

One implementation for two callers: `il2reg extract check DIR` (everything, in seconds,
without dbt) and the build's on-run-start hook (macros/verify_extract.sql calls the SQL
function `il2_extract_check` that `dbt_plugin.py` registers), which runs the checks that stop
a build and, when one fails, ends dbt's output with the list of problems.

Each check is a small function returning problem records (`Problem`: file, row, column,
value, problem, valid); a new check is one more function added to `structure_problems` (stops
the build) or `value_problems` (reported; the build rejects or nulls those rows itself).
Values of PHI columns are never shown (`<redacted>`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from il2_registry.contract import Contract, FileSpec, load_contract
from il2_registry.extract_reader import (
    CANDIDATE_DELIMITERS,
    FileFacts,
    csv_read_expression,
    first_non_utf8,
    first_ragged_record,
    read_file_facts,
    read_head,
    sha256_of,
)
from il2_registry.manifest import MANIFEST_NAME, load_manifest
from il2_registry.sql_literals import sql_string

REDACTED = "<redacted>"
EXTRACT = "(extract)"
US_DATE_VALID = "MM/DD/YYYY (month first) or YYYY-MM-DD"
SLASH_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an extract. `stops_build`: the build would refuse the extract
    (otherwise the build rejects or nulls the value and reports it in audit)."""

    file: str
    problem: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    valid: str | None = None
    stops_build: bool = True

    def message(self) -> str:
        where = self.file + (f" row {self.row}" if self.row is not None else "")
        subject = ""
        if self.column is not None and self.value is not None:
            subject = f"{self.column} = '{self.value}': "
        elif self.column is not None and self.row is not None:
            subject = f"{self.column}: "
        text = f"{where}: {subject}{self.problem}"
        return text + (f" (valid: {self.valid})" if self.valid else "")


@dataclass
class CheckReport:
    extract_dir: Path
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when a build would start."""
        return not any(problem.stops_build for problem in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "extract_dir": str(self.extract_dir),
            "problems": [asdict(problem) for problem in self.problems],
            "files": self.files,
            "sites": self.sites,
        }

    def failure_message(self) -> str:
        listing = "\n".join(f"  - {p.message()}" for p in self.problems if p.stops_build)
        return (
            f"EXTRACT ERROR in {self.extract_dir}; nothing was built:\n{listing}\n"
            f"(`il2reg extract check {self.extract_dir}` shows every problem and the value checks)"
        )


# --- checks that stop the build -------------------------------------------------------------


def folder_problems(extract_dir: Path) -> list[Problem]:
    if extract_dir.is_dir():
        return []
    return [Problem(EXTRACT, f"extract folder {extract_dir} does not exist")]


def manifest_problems(
    manifest: dict | None,
    unusable: str | None,
    extract_dir: Path | None = None,
    file_names: Iterable[str] = (),
) -> list[Problem]:
    if manifest is None:
        return [Problem(MANIFEST_NAME, unusable or "unusable")]
    problems = [
        Problem(MANIFEST_NAME, f"missing '{key}'", column=key)
        for key in ("extract_id", "data_cutoff_date")
        if not isinstance(manifest.get(key), str) or not manifest.get(key)
    ]
    cutoff = manifest.get("data_cutoff_date")
    if isinstance(cutoff, str) and cutoff and not _is_iso_date(cutoff.strip()):
        problems.append(
            Problem(
                MANIFEST_NAME,
                "data_cutoff_date is not a date YYYY-MM-DD",
                column="data_cutoff_date",
                value=cutoff,
                valid="YYYY-MM-DD, e.g. 2018-03-31",
            )
        )
    if extract_dir is not None:
        known = set(file_names)
        for name in sorted(manifest["files"]):
            if name not in known and not (extract_dir / name).is_file():
                problems.append(
                    Problem(
                        MANIFEST_NAME, f"lists {name}, which is not in the extract folder", column="files"
                    )
                )
    return problems


def _is_iso_date(text: str) -> bool:
    import re
    from datetime import date

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def presence_problems(spec: FileSpec, path: Path) -> list[Problem]:
    return [] if path.is_file() else [Problem(spec.file_name, "missing file")]


def encoding_problems(spec: FileSpec, encoding: str, path: Path | None = None) -> list[Problem]:
    """Not UTF-8: the first line whose bytes are not (the whole file streamed, so a Latin-1
    letter far down the file is found too) and the encoding they look like."""
    found = first_non_utf8(path) if path is not None and encoding != "utf-16" else None
    if found is None and encoding == "utf-8":
        return []
    where = f" at line {found[0]} (the header is line 1)" if found else ""
    looks = encoding if encoding != "utf-8" else found[1] if found else encoding
    return [
        Problem(spec.file_name, f"not UTF-8{where}: it looks like {looks}; export it as UTF-8", valid="UTF-8")
    ]


def duplicate_header_problems(spec: FileSpec, header_line: str) -> list[Problem]:
    """A header naming a column twice: the reader would rename one (ae_term_1) and the staging
    would silently read only one of them."""
    import csv

    columns = next(csv.reader([header_line.lstrip("\ufeff")]), [])
    seen: dict[str, int] = {}
    problems = []
    for position, column in enumerate(columns, start=1):
        key = column.strip()
        if key in seen:
            problems.append(
                Problem(
                    spec.file_name,
                    f"header names column {key} twice (columns {seen[key]} and {position}); "
                    "export each column once",
                    column=key,
                    valid="a header with each column once",
                )
            )
        else:
            seen[key] = position
    return problems


def delimiter_problems(spec: FileSpec, delimiter: str, header_line: str) -> list[Problem]:
    if delimiter == ",":
        return []
    name = CANDIDATE_DELIMITERS[delimiter]
    return [
        Problem(
            spec.file_name,
            f"not comma-delimited: the header looks {name}-delimited ({header_line[:80]!r}); "
            "export it with commas",
            valid="comma-separated values",
        )
    ]


def near_miss(expected: str, aliases: Iterable[str], found: Iterable[str]) -> tuple[str, str] | None:
    """A header column that is probably `expected`: (the column, why)."""
    for column in found:
        if column == expected:
            continue
        if column.strip() == expected:
            return column, "white space around it"
        if column.strip().lower() == expected.lower():
            return column, "different case" if column.strip() == column else "case and white space"
        if column.strip().lower() in {alias.lower() for alias in aliases}:
            return column, "a known alias"
    return None


def header_problems(spec: FileSpec, columns: tuple[str, ...]) -> list[Problem]:
    missing = [column for column in spec.columns if column.name not in columns]
    if not missing:
        return []
    hints = []
    for column in missing:
        hit = near_miss(column.name, column.header_aliases, columns)
        if hit:
            hints.append(f"'{hit[0]}' for {column.name} ({hit[1]})")
    names = ", ".join(c.name for c in missing)
    text = f"missing required column(s) {names}; the header has {', '.join(columns)}"
    if hints:
        text += "; rename " + ", ".join(hints)
    return [
        Problem(
            spec.file_name,
            text,
            column=", ".join(c.name for c in missing),
            valid="a header with " + ", ".join(spec.column_names),
        )
    ]


def empty_file_problems(spec: FileSpec, facts: FileFacts) -> list[Problem]:
    """A file the contract says may not be empty (meta may_be_empty: false) with no data row:
    building it would publish a warehouse without, e.g., any patient."""
    if spec.may_be_empty or facts.rows > 0:
        return []
    return [
        Problem(
            spec.file_name,
            "no data row (only a header); the contract says this file may not be empty",
            valid="at least one data row",
        )
    ]


def manifest_entry_problems(spec: FileSpec, entry: object, facts: FileFacts, sha256: str) -> list[Problem]:
    name = spec.file_name
    if not isinstance(entry, Mapping):
        return [Problem(name, f"no entry in {MANIFEST_NAME}")]
    problems = []
    hint = (
        "; if the file was edited after the export, rewrite the manifest (`il2reg extract manifest --force`)"
    )
    if entry.get("rows") != facts.rows:
        problems.append(
            Problem(
                name, f"{facts.rows} data rows in the file, {MANIFEST_NAME} says {entry.get('rows')}{hint}"
            )
        )
    expected_sha = str(entry.get("sha256", "")).lower()
    if expected_sha != sha256:
        problems.append(
            Problem(name, f"SHA-256 {sha256} differs from {MANIFEST_NAME} ({expected_sha or 'none'}){hint}")
        )
    return problems


def csv_header(path: Path) -> list[str]:
    """The header fields as Python's csv module reads them (BOM dropped)."""
    import csv

    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        return next(csv.reader(handle), [])


def ragged_problem(spec: FileSpec, path: Path) -> Problem | None:
    """The first record whose field count is not the header's, named by its number."""
    width = len(csv_header(path))
    ragged = first_ragged_record(path, width)
    if ragged is None:
        return None
    number, fields = ragged
    return Problem(
        spec.file_name,
        f"record {number} has {fields} fields, the header {width}: a broken row (an unquoted comma, "
        "a missing field or a cut line), rejected as malformed_row; fix or quote it and re-export",
        row=number,
        valid=f"{width} comma-separated fields per record",
        stops_build=False,
    )


def unreadable_problem(spec: FileSpec, error: duckdb.Error, path: Path | None = None) -> Problem:
    ragged = ragged_problem(spec, path) if path is not None else None
    if ragged is not None:
        return ragged
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return Problem(
        spec.file_name, f"cannot be read as CSV ({first_line})", valid="comma-separated UTF-8 text"
    )


def file_structure(
    spec: FileSpec, extract_dir: Path, manifest: dict | None
) -> tuple[list[Problem], FileFacts | None, dict[str, Any]]:
    """The structure checks of one file, its facts when it can be read, and its summary."""
    path = extract_dir / spec.file_name
    problems = presence_problems(spec, path)
    if problems:
        return problems, None, {"present": False}
    head = read_head(path)
    problems += encoding_problems(spec, head.encoding, path)
    problems += delimiter_problems(spec, head.delimiter, head.header_line)
    if not problems:
        problems += duplicate_header_problems(spec, head.header_line)
    summary: dict[str, Any] = {"present": True, "encoding": head.encoding, "delimiter": head.delimiter}
    if problems:
        return problems, None, summary
    try:
        facts = read_file_facts(path)
    except duckdb.Error as error:
        return problems + [unreadable_problem(spec, error, path)], None, summary
    if list(facts.columns) != csv_header(path):
        # A record with more fields than the header (the reader pads it into column<N>): the
        # build rejects that row as malformed_row; named here by its record number.
        ragged = ragged_problem(spec, path)
        if ragged is not None:
            problems.append(ragged)
    problems += header_problems(spec, facts.columns)
    problems += empty_file_problems(spec, facts)
    sha256 = sha256_of(path)
    summary["sha256"] = sha256
    if manifest is not None:
        entry = manifest["files"].get(spec.file_name)
        problems += manifest_entry_problems(spec, entry, facts, sha256)
        if isinstance(entry, Mapping):
            summary["manifest_rows"] = entry.get("rows")
    summary |= {"rows": facts.rows, "columns": list(facts.columns)}
    summary["extra_columns"] = [c for c in facts.columns if c not in spec.column_names]
    return problems, facts, summary


# --- checks the build survives (rows rejected or values nulled) -------------------------------


def code_problems(spec: FileSpec, path: Path, contract: Contract) -> list[Problem]:
    """Per code column, each value outside its codes: first row, rows affected, valid codes."""
    code_columns = [c for c in spec.columns if c.kind == "code"]
    if not code_columns:
        return []
    na = ", ".join(sql_string(token) for token in contract.na_tokens)
    parts = [
        f"select {sql_string(c.name)} as column_name, trim({c.name}) as value, ordinality as row_number "
        f"from source where {c.name} is not null and upper(trim({c.name})) not in ({na}) "
        f"and upper(trim({c.name})) not in ({', '.join(map(sql_string, sorted(c.accepted_codes)))})"
        for c in code_columns
    ]
    query = (
        f"with source as materialized (select * from {csv_read_expression(path)} with ordinality) "
        "select column_name, value, count(*), min(row_number) from ("
        + " union all ".join(parts)
        + ") group by all order by 4"
    )
    with duckdb.connect() as con:
        rows = con.execute(query).fetchall()
    problems = []
    for column_name, value, count, first_row in rows:
        column = spec.column(column_name)
        rejects = column.required or column.required_when is not None
        consequence = "rejected" if rejects else "kept, value set to null"
        problems.append(
            Problem(
                spec.file_name,
                f"not a code ({count} row(s), {consequence})",
                row=int(first_row),
                column=column_name,
                value=REDACTED if column.phi else value,
                valid=column.valid(),
                stops_build=False,
            )
        )
    return problems


def date_style_sql(contract: Contract, extract_dir: Path, readable: set[str]) -> str | None:
    """Every ISO or slash date of the non-PHI date columns, with its site (via patients.csv)."""
    parts = []
    for spec in contract.files:
        if spec.file_name not in readable or "patient_id" not in spec.column_names:
            continue
        read = f"{csv_read_expression(extract_dir / spec.file_name)} with ordinality"
        for column in spec.columns:
            if column.kind in ("date", "partial_date") and not column.phi:
                parts.append(
                    f"select upper(trim(patient_id)) as patient_id, {sql_string(spec.file_name)} as file, "
                    f"{sql_string(column.name)} as column_name, ordinality as row_number, "
                    f"trim({column.name}) as value from {read} "
                    f"where regexp_full_match(trim({column.name}), '{SLASH_DATE}|{ISO_DATE}')"
                )
    if not parts or "patients.csv" not in readable:
        return None
    patients = csv_read_expression(extract_dir / "patients.csv")
    return f"""
        with dates as ({" union all ".join(parts)}),
        sites as (
            select upper(trim(patient_id)) as patient_id, min(trim(site_id)) as site_id
            from {patients} group by 1
        ),
        parts as (
            select dates.*, try_cast(split_part(value, '/', 1) as int) as first_part,
                try_cast(split_part(value, '/', 2) as int) as second_part
            from dates
        ),
        styled as (
            select sites.site_id, parts.*,
                case
                    when not regexp_full_match(value, '{SLASH_DATE}') then 'iso'
                    when first_part > 12 and second_part <= 12 then 'day_first'
                    when second_part > 12 and first_part <= 12 then 'month_first'
                    when first_part <= 12 then 'ambiguous'
                    else 'neither'
                end as style
            from parts inner join sites on parts.patient_id = sites.patient_id
        ),
        counted as (select site_id, style, count(*) as n from styled group by all),
        first_seen as (
            select site_id, style, file, column_name, value, row_number,
                row_number() over (partition by site_id, style order by file, row_number, column_name) as rank
            from styled
        )
        select counted.site_id, counted.style, counted.n, first_seen.file, first_seen.column_name,
            first_seen.value, first_seen.row_number
        from counted
        inner join first_seen
            on counted.site_id = first_seen.site_id
            and counted.style = first_seen.style
            and first_seen.rank = 1
        order by 1, 2
    """


def site_date_styles(contract: Contract, extract_dir: Path, readable: set[str]) -> dict[str, dict[str, Any]]:
    """Per site: how many ISO dates and slash dates read month-first, day-first or ambiguous."""
    query = date_style_sql(contract, extract_dir, readable)
    if query is None:
        return {}
    with duckdb.connect() as con:
        rows = con.execute(query).fetchall()
    sites: dict[str, dict[str, Any]] = {}
    for site_id, style, count, file, column, value, row in rows:
        site = sites.setdefault(
            site_id, {"iso": 0, "month_first": 0, "day_first": 0, "ambiguous": 0, "neither": 0}
        )
        site[style] = int(count)
        if style == "day_first":
            site["first_day_first"] = {"file": file, "row": int(row), "column": column, "value": value}
    for site in sites.values():
        site["style"] = date_style_verdict(site)
    return sites


def date_style_verdict(site: Mapping[str, Any]) -> str:
    """ISO, US, or looks day-first: slash dates with a first component above 12 and at least as
    many of them as dates that can only be month-first (one typo at a US site is not a style)."""
    if site["day_first"] > 0 and site["day_first"] >= site["month_first"]:
        return "looks day-first"
    if site["month_first"] or site["ambiguous"]:
        return "US" if not site["iso"] else "ISO and US"
    return "ISO"


def date_style_problems(sites: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    problems = []
    for site_id, site in sorted(sites.items()):
        if site["style"] != "looks day-first":
            continue
        example = site["first_day_first"]
        problems.append(
            Problem(
                example["file"],
                f"site {site_id} looks day-first (DD/MM/YYYY): {site['day_first']} slash date(s) have a "
                f"first component above 12 (rejected or nulled) and {site['month_first']} a second one; its "
                f"{site['ambiguous']} ambiguous slash date(s) will be read as MM/DD/YYYY",
                row=example["row"],
                column=example["column"],
                value=example["value"],
                valid=US_DATE_VALID,
                stops_build=False,
            )
        )
    return problems


# --- the whole check --------------------------------------------------------------------------


def check_extract(extract_dir: Path, contract: Contract | None = None, *, values: bool = True) -> CheckReport:
    """Every problem of the extract. `values=False`: only the checks that stop a build (the
    on-run-start hook), skipping the value and date-style scans."""
    contract = contract or load_contract()
    report = CheckReport(extract_dir=extract_dir)
    report.problems += folder_problems(extract_dir)
    if report.problems:
        return report
    manifest, unusable = load_manifest(extract_dir)
    report.problems += manifest_problems(manifest, unusable, extract_dir, contract.file_names)
    readable: set[str] = set()
    for spec in contract.files:
        problems, facts, summary = file_structure(spec, extract_dir, manifest)
        report.problems += problems
        report.files[spec.file_name] = summary
        if facts is not None and not header_problems(spec, facts.columns):
            readable.add(spec.file_name)
    if values:
        for spec in contract.files:
            if spec.file_name in readable:
                report.problems += code_problems(spec, extract_dir / spec.file_name, contract)
        report.sites = site_date_styles(contract, extract_dir, readable)
        report.problems += date_style_problems(report.sites)
    return report


def resolve_extract_dir(extract_dir: str, project_root: Path | None = None) -> Path:
    """A relative extract_dir is relative to the project root (where dbt runs)."""
    path = Path(extract_dir)
    if not path.is_absolute():
        from il2_registry.paths import project_root as default_root

        path = (project_root or default_root()) / path
    return path.resolve()


# The SHA-256 of every file the on-run-start check verified, by extract folder, in this
# process (the dbt run): the publish step hashes the files again and compares (`changed_files`).
_VERIFIED: dict[Path, dict[str, str]] = {}


def verified_hashes(report: CheckReport) -> dict[str, str]:
    """File name -> SHA-256 of what the check read: the contract files and manifest.json."""
    hashes = {name: str(s["sha256"]) for name, s in report.files.items() if s.get("sha256")}
    manifest = report.extract_dir / MANIFEST_NAME
    if manifest.is_file():
        hashes[MANIFEST_NAME] = sha256_of(manifest)
    return hashes


def changed_files(extract_dir: Path, contract: Contract | None = None) -> list[str]:
    """Every extract file whose bytes now differ from what was verified: the hashes the
    on-run-start check recorded in this process, else (a publish without that check) the
    manifest's SHA-256. One message per file, naming it; empty when nothing changed."""
    contract = contract or load_contract()
    expected = dict(_VERIFIED.get(extract_dir.resolve(), {}))
    source = "when the extract was verified at the start of the run"
    if not expected:
        manifest, unusable = load_manifest(extract_dir)
        if manifest is None:
            return [f"{MANIFEST_NAME}: {unusable}"]
        expected = {
            name: str(entry.get("sha256", "")).lower()
            for name, entry in manifest["files"].items()
            if isinstance(entry, Mapping)
        }
        source = f"in {MANIFEST_NAME}"
    changes = []
    for name in sorted(set(expected) | set(contract.file_names)):
        path = extract_dir / name
        if not path.is_file():
            changes.append(f"{name}: the file is gone (it was verified {source})")
            continue
        now = sha256_of(path)
        if now != expected.get(name):
            changes.append(f"{name}: SHA-256 is now {now}, {expected.get(name) or 'none'} {source}")
    return changes


def hook_result(extract_dir: str) -> str:
    """SQL entry point for on-run-start: JSON {ok, message}. It does not raise, so that the
    macro can stop dbt with a compilation error whose text is just the list of problems.
    On success the verified files' SHA-256 are kept for the publish step (`changed_files`)."""
    folder = resolve_extract_dir(extract_dir)
    report = check_extract(folder, values=False)
    if report.ok:
        _VERIFIED[folder] = verified_hashes(report)
        message = (
            f"extract {folder} verified: {len(report.files)} files match {MANIFEST_NAME} and the contract"
        )
    else:
        message = report.failure_message()
    return json.dumps({"ok": report.ok, "message": message})
