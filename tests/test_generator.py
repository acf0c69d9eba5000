"""The generator writes extracts exactly as DATA_DICTIONARY.md describes, deterministically.

Expected headers, codes and date kinds come from the contract spec (il2_registry.contract, the
file staging reads), not from the generator, so a generator that breaks the contract fails.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from conftest import generate_extract
from il2_registry.contract import load_contract

# The contract spec (models/staging/_registry__sources.yml, read by il2_registry.contract), not
# the generator: a generator that drifts from the contract staging reads fails these tests.
CONTRACT = load_contract()
HEADERS = {spec.file_name: ",".join(spec.column_names) for spec in CONTRACT.files}
NA = set(CONTRACT.na_tokens)
# (file, column) -> allowed codes (matched case-insensitively after trimming, aliases included).
CODES = {
    (spec.file_name, column.name): column.accepted_codes
    for spec in CONTRACT.files
    for column in spec.columns
    if column.kind == "code"
}
# The generator writes only the two dose levels of the protocol (the contract's range is wider).
CODES[("il2_cycles.csv", "dose_level_iu_per_kg")] = {"600000", "720000"}
# (file, column) -> whether a partial date is allowed.
DATES = {
    (spec.file_name, column.name): column.kind == "partial_date"
    for spec in CONTRACT.files
    for column in spec.columns
    if column.kind in ("date", "partial_date")
}
TIMESTAMPS = {
    (spec.file_name, column.name)
    for spec in CONTRACT.files
    for column in spec.columns
    if column.kind == "timestamp"
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
US = re.compile(r"^\d{2}/\d{2}/\d{4}$")
PARTIAL = re.compile(r"^\d{4}(-\d{2})?$")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}|T\d{2}:\d{2}:\d{2})$")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def is_valid_date(value: str, partial_allowed: bool) -> bool:
    from datetime import datetime

    v = value.strip()
    for pattern, fmt in ((ISO, "%Y-%m-%d"), (US, "%m/%d/%Y")):
        if pattern.match(v):
            try:
                datetime.strptime(v, fmt)
                return True
            except ValueError:
                return False
    if partial_allowed and PARTIAL.match(v):
        return 1 <= int(v[5:7] or "1") <= 12 if len(v) == 7 else True
    return False


def contract_problems(extract: Path) -> list[str]:
    """Every value that breaks the contract's codes, dates or headers, one line each."""
    problems = []
    for name, header in HEADERS.items():
        columns, rows = read_rows(extract / name)
        if ",".join(columns) != header:
            problems.append(f"{name}: header {columns}")
            continue
        for i, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                problems.append(f"{name}:{i}: {len(row)} fields")
                continue
            record = dict(zip(columns, row, strict=True))
            for col, value in record.items():
                v = value.strip()
                if (name, col) in CODES and v.upper() not in NA and v.upper() not in CODES[(name, col)]:
                    problems.append(f"{name}:{i}:{col}={value!r}")
                if (name, col) in DATES and v not in NA and not is_valid_date(v, DATES[(name, col)]):
                    problems.append(f"{name}:{i}:{col}={value!r}")
                if (name, col) in TIMESTAMPS and not STAMP.match(v):
                    problems.append(f"{name}:{i}:{col}={value!r}")
    return problems


def test_every_file_has_the_contract_header_codes_and_date_formats(paper_extract: Path) -> None:
    assert sorted(p.name for p in paper_extract.iterdir()) == sorted([*HEADERS, "manifest.json"])
    assert contract_problems(paper_extract) == []


def test_manifest_counts_rows_and_hashes_files(paper_extract: Path) -> None:
    manifest = json.loads((paper_extract / "manifest.json").read_text())
    assert manifest["contract_version"] == 1
    assert manifest["data_cutoff_date"] == "2018-03-31"
    assert manifest["registry"] == "HD IL-2 registry"
    assert manifest["extract_id"] and manifest["created_at"].endswith("Z")
    assert set(manifest["files"]) == set(HEADERS)
    for name, entry in manifest["files"].items():
        _, rows = read_rows(paper_extract / name)
        assert entry["rows"] == len(rows), name
        assert entry["sha256"] == hashlib.sha256((paper_extract / name).read_bytes()).hexdigest(), name


def test_paper_extract_sizes(paper_extract: Path) -> None:
    # 1179 patients; re-edited patients appear twice, so patients.csv has more rows than patients.
    _, patients = read_rows(paper_extract / "patients.csv")
    _, baseline = read_rows(paper_extract / "baseline.csv")
    assert len({r[0] for r in patients}) == 1179
    assert len(patients) > 1179
    assert len(baseline) == 1179
    _, sites = read_rows(paper_extract / "sites.csv")
    assert len(sites) >= 40
    assert {r[2] for r in sites} == {"ACADEMIC", "COMMUNITY"}


def test_one_file_has_a_bom_and_crlf_and_still_parses(paper_extract: Path) -> None:
    raw = {name: (paper_extract / name).read_bytes() for name in HEADERS}
    with_bom = [name for name, data in raw.items() if data.startswith(b"\xef\xbb\xbf")]
    assert with_bom == ["follow_up.csv"]
    data = raw["follow_up.csv"]
    assert data.count(b"\r\n") == data.count(b"\n")  # every line ends CRLF
    columns, rows = read_rows(paper_extract / "follow_up.csv")
    assert columns[0] == "patient_id"  # the BOM is not part of the first column name
    manifest = json.loads((paper_extract / "manifest.json").read_text())
    assert len(rows) == manifest["files"]["follow_up.csv"]["rows"]
    for name, data in raw.items():
        if name != "follow_up.csv":
            assert b"\r\n" not in data, name


def test_realistic_quirks_are_present(paper_extract: Path) -> None:
    _, prior = read_rows(paper_extract / "prior_therapies.csv")
    texts = {r[2] for r in prior}
    assert {"nivo + ipi", "Keytruda", "anti-PD-1 (agent not recorded)", "Dabrafenib/Trametinib"} <= texts
    assert any("," in t and '"' in t for t in texts)  # quoting exercised
    assert any(PARTIAL.match(r[3]) for r in prior)  # partial start dates
    _, patients = read_rows(paper_extract / "patients.csv")
    assert any(US.match(r[4]) for r in patients)  # US-style dates from some sites
    assert any("T" in r[12] for r in patients) and any(" " in r[12] for r in patients)
    _, sites = read_rows(paper_extract / "sites.csv")
    assert any("\n" in r[1] for r in sites)  # a free-text field with a newline
    _, fu = read_rows(paper_extract / "follow_up.csv")
    after_cutoff = [r for r in fu if ISO.match(r[1]) and r[1] > "2018-03-31"]
    assert after_cutoff  # contacts after the cut-off, which the rules must ignore
    _, ta = read_rows(paper_extract / "tumor_assessments.csv")
    assert any(r[2] != r[2].strip().upper() for r in ta)  # codes in odd case / padded


def test_same_arguments_give_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    a = generate_extract(
        tmp_path / "a", "--profile", "scale", "--patients", "700", "--seed", "5", "--messy", "0.05"
    )
    b = generate_extract(
        tmp_path / "b", "--profile", "scale", "--patients", "700", "--seed", "5", "--messy", "0.05"
    )
    c = generate_extract(
        tmp_path / "c", "--profile", "scale", "--patients", "700", "--seed", "6", "--messy", "0.05"
    )
    for name in [*HEADERS, "manifest.json"]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (tmp_path / "a_truth" / "bad_rows.csv").read_bytes() == (
        tmp_path / "b_truth" / "bad_rows.csv"
    ).read_bytes()
    assert (a / "patients.csv").read_bytes() != (c / "patients.csv").read_bytes()


def test_paper_profile_is_deterministic(paper_extract: Path, tmp_path: Path) -> None:
    again = generate_extract(tmp_path / "again", "--profile", "paper", "--seed", "20180331")
    for name in [*HEADERS, "manifest.json"]:
        assert (again / name).read_bytes() == (paper_extract / name).read_bytes(), name


def test_scale_profile_conforms_and_ids_are_unique_across_chunks(tmp_path: Path, monkeypatch) -> None:
    from il2_registry.generator import api

    monkeypatch.setattr(api, "SCALE_CHUNK", 400)  # several chunks for 1000 patients
    out = tmp_path / "scale"
    manifest = api.generate_extract(out, profile="scale", seed=3, patients=1000)
    assert contract_problems(out) == []
    _, baseline = read_rows(out / "baseline.csv")
    assert len(baseline) == len({r[0] for r in baseline}) == 1000
    assert manifest["files"]["baseline.csv"]["rows"] == 1000
    _, patients = read_rows(out / "patients.csv")
    assert {r[0] for r in patients} == {r[0] for r in baseline}
    # Prior-ICB share as in the paper (57 of 1179, 4.8 %), within sampling error.
    truth = list(csv.DictReader(open(tmp_path / "scale_truth" / "patients.csv", encoding="utf-8")))
    share = sum(r["cohort"] == "prior_icb" for r in truth) / len(truth)
    assert 0.025 < share < 0.075


@pytest.mark.parametrize("bad", ["--patients=0", "--messy=0.9", "--profile=huge"])
def test_bad_arguments_are_refused(tmp_path: Path, bad: str) -> None:
    from conftest import il2reg

    result = il2reg("generate", "--profile", "scale", bad, "--out", str(tmp_path / "x"), check=False)
    assert result.returncode != 0
    assert not (tmp_path / "x").exists()


def test_a_folder_that_is_not_an_extract_is_never_replaced(tmp_path: Path) -> None:
    from conftest import il2reg

    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    result = il2reg("generate", "--profile", "scale", "--patients", "50", "--out", str(precious), check=False)
    assert result.returncode != 0
    assert "not replacing" in result.stderr
    assert (precious / "thesis.txt").read_text() == "keep me"
    # An earlier extract in the same place is replaced.
    first = generate_extract(tmp_path / "x", "--profile", "scale", "--patients", "50", "--seed", "1")
    second = generate_extract(tmp_path / "x", "--profile", "scale", "--patients", "60", "--seed", "1")
    assert (
        first == second
        and json.loads((second / "manifest.json").read_text())["files"]["baseline.csv"]["rows"] == 60
    )


def test_every_written_text_is_in_the_vocabulary(paper_extract: Path) -> None:
    """The ingest engineer's synonym seeds come from the vocabulary module: nothing escapes it."""
    from il2_registry.generator.vocabulary import AE_TERM_BY_VERBATIM, REGIMEN_BY_TEXT

    def column(name: str, col: str) -> set[str]:
        columns, rows = read_rows(paper_extract / name)
        i = columns.index(col)
        return {r[i] for r in rows if r[i]}

    regimens = column("prior_therapies.csv", "regimen_text") | column(
        "subsequent_therapies.csv", "regimen_text"
    )
    assert regimens <= set(REGIMEN_BY_TEXT)
    terms = column("adverse_events.csv", "ae_term")
    for i in (1, 2, 3):
        terms |= column("il2_cycles.csv", f"stop_toxicity_{i}")
    assert terms <= set(AE_TERM_BY_VERBATIM)
    # Deliberately unmappable texts are among them (the warehouse must class them UNMAPPED).
    assert any(not REGIMEN_BY_TEXT[t].agents for t in regimens)
