"""Every verbatim the generator can write maps to the agent / preferred term it stands for.

The generator's vocabulary (python/il2_registry/generator/vocabulary.py) lists each regimen
text with its intended agents (none = deliberately unmappable -> 'unmapped') and each AE /
toxicity verbatim with its intended preferred term, category and immune-related flag. The
texts are written into a copy of the fixture extract (prior_therapies.csv, adverse_events.csv)
and mapped by the real models and seeds (dbt build of the terminology part).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt
from fixtures.write_manifest import write_manifest
from il2_registry.generator.vocabulary import ALL_AE_TERMS, ALL_REGIMENS
from il2_registry.publish import BUILD_FOLDER

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "extract_small"
PATIENT = "S001-0001"

# Texts a site writes that are no whole-text synonym, mapped by the real seeds/ae_term_patterns.csv:
# text -> (preferred term, match_method, candidates). Worked out from the patterns by hand:
SITE_AE_TEXTS = {
    # only the hypotension pattern has a word here
    "Hypotension grade 3": ("hypotension", "pattern", None),
    "hypotension (requiring pressors)": ("hypotension", "pattern", None),
    # "fever" and "febrile" are both the fever pattern: one term
    "Fever, febrile to 39.5": ("fever", "pattern", None),
    # catheter-related infection and infection match; the first contains "infection": specific wins
    "Line infection grade 2": ("catheter-related infection", "pattern", None),
    # pulmonary edema and edema match; "pulmonary edema" contains "edema"
    "pulmonary edema, needed diuresis": ("pulmonary edema", "pattern", None),
    # nausea and vomiting are two different terms, neither contains the other: not guessed
    "Nausea and vomiting": ("UNMAPPED", "ambiguous", "nausea | vomiting"),
    # hypotension and tachycardia: not guessed
    "hypotension with tachycardia": ("UNMAPPED", "ambiguous", "hypotension | tachycardia"),
    # "mi" (myocardial infarction) is left to whole-text synonyms: no pattern word here
    "mi suspected": ("UNMAPPED", "none", None),
}


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def mapped_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("terminology")
    extract = work / "extract"
    shutil.copytree(FIXTURE, extract)
    write_rows(
        extract / "prior_therapies.csv",
        [
            "patient_id",
            "line_number",
            "regimen_text",
            "start_date",
            "end_date",
            "best_response",
            "reason_stopped",
            "irae_reported",
        ],  # fmt: skip
        [[PATIENT, str(i), r.text, "2016-01-01", "", "", "", ""] for i, r in enumerate(ALL_REGIMENS, 1)],
    )
    write_rows(
        extract / "adverse_events.csv",
        [
            "patient_id",
            "ae_seq",
            "ae_term",
            "onset_date",
            "resolution_date",
            "ctcae_grade",
            "serious",
            "related_to_il2",
            "immune_related",
            "treated_with_steroids",
        ],  # fmt: skip
        [
            [PATIENT, str(i), verbatim, "2017-01-10", "", "2", "N", "RELATED", "", ""]
            for i, verbatim in enumerate([t.verbatim for t in ALL_AE_TERMS] + list(SITE_AE_TEXTS), 1)
        ],
    )
    write_manifest(extract, "2018-03-31")
    warehouse = work / "il2_registry.duckdb"
    result = run_dbt(
        [
            "build",
            "--select",
            "+fct_therapy_line_agents",
            "+fct_adverse_events",
            "--resource-type",
            "model",
            "--resource-type",
            "seed",
        ],  # fmt: skip
        warehouse=warehouse,
        extract_dir=extract,
        work_dir=work,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return warehouse.parent / BUILD_FOLDER / warehouse.name  # a partial build is not published


def test_every_generator_regimen_maps_to_its_agents(mapped_warehouse: Path) -> None:
    with duckdb.connect(str(mapped_warehouse), read_only=True) as con:
        got_rows = con.execute(
            "select l.line_number, a.agent_name from core.fct_therapy_lines l "
            "join core.fct_therapy_line_agents a using (therapy_line_id) where l.setting = 'prior'"
        ).fetchall()
    got: dict[int, set[str]] = {}
    for line_number, agent in got_rows:
        got.setdefault(line_number, set()).add(agent)
    wrong = {
        regimen.text: (sorted(got.get(i, set())), sorted(regimen.agents or ("unmapped",)))
        for i, regimen in enumerate(ALL_REGIMENS, 1)
        if got.get(i, set()) != set(regimen.agents or ("unmapped",))
    }
    assert wrong == {}, "text: (mapped, intended)"


def test_every_generator_ae_term_maps_to_its_preferred_term(mapped_warehouse: Path) -> None:
    with duckdb.connect(str(mapped_warehouse), read_only=True) as con:
        got = {
            ae_seq: (term, category, immune)
            for ae_seq, term, category, immune in con.execute(
                "select ae_seq, preferred_term, category, is_immune_related_term from core.fct_adverse_events"
            ).fetchall()
        }
    wrong = {}
    for i, term in enumerate(ALL_AE_TERMS, 1):
        unmapped = term.preferred_term == "UNMAPPED"
        intended = ("UNMAPPED", "UNMAPPED", None) if unmapped else (
            term.preferred_term, term.category, term.is_immune_related_term
        )  # fmt: skip
        if got.get(i) != intended:
            wrong[term.verbatim] = (got.get(i), intended)
    assert wrong == {}, "verbatim: (mapped, intended)"


def test_site_ae_texts_map_by_pattern_or_stay_unmapped(mapped_warehouse: Path) -> None:
    with duckdb.connect(str(mapped_warehouse), read_only=True) as con:
        got = {
            verbatim: (term, method, candidates)
            for verbatim, term, method, candidates in con.execute(
                "select e.ae_term_verbatim, m.preferred_term, m.match_method, m.candidate_terms "
                "from core.fct_adverse_events e join intermediate.int_ae_terms_mapped m "
                "on lower(trim(e.ae_term_verbatim)) = m.verbatim_normalised "
                f"where e.ae_seq > {len(ALL_AE_TERMS)}"
            ).fetchall()
        }
    assert got == SITE_AE_TEXTS
