"""The contract spec (models/staging/_registry__sources.yml) and what derives from it."""

from __future__ import annotations

import pytest

from il2_registry.contract import ColumnSpec, RequiredWhen, load_contract, parse_contract
from il2_registry.contract_page import PAGE_PATH, render_contract_page
from il2_registry.paths import project_root


def test_the_committed_contract_page_is_what_the_spec_renders() -> None:
    # Regenerate with `il2reg extract contract-page --out docs/contract_columns.md`.
    committed = (project_root() / PAGE_PATH).read_text(encoding="utf-8")
    assert committed == render_contract_page(load_contract())


def test_phi_is_the_data_dictionary_list() -> None:
    # DATA_DICTIONARY.md names three PHI columns, all in patients.csv.
    contract = load_contract()
    assert contract.phi_columns == ("mrn", "initials", "birth_date")
    assert {c.name for f in contract.files for c in f.columns if c.phi} == {"mrn", "initials", "birth_date"}
    assert {f.file_name for f in contract.files if any(c.phi for c in f.columns)} == {"patients.csv"}


def test_conditional_requirement_of_death_date() -> None:
    death_date = load_contract().file("follow_up.csv").column("death_date")
    assert death_date.required is False
    assert death_date.required_when == RequiredWhen("vital_status", "DEAD")
    assert death_date.requirement() == "when vital_status is DEAD"


@pytest.mark.parametrize(
    ("column", "valid"),
    [
        (ColumnSpec("x", "code", codes=("A", "B"), aliases={"AA": "A"}), "one of A, B (also AA for A)"),
        (ColumnSpec("x", "integer", min=0, max=4), "a whole number from 0 to 4"),
        (ColumnSpec("x", "decimal", min=30), "a number with a dot for decimals of at least 30"),
        (
            ColumnSpec("x", "partial_date"),
            "a date YYYY-MM-DD or MM/DD/YYYY, or a partial date YYYY-MM or YYYY",
        ),
        (ColumnSpec("x", "text"), "any text"),
    ],
)
def test_valid_texts(column: ColumnSpec, valid: str) -> None:
    assert column.valid() == valid


def test_unknown_kind_is_refused() -> None:
    document = {
        "sources": [
            {
                "name": "registry",
                "tables": [{"name": "t", "columns": [{"name": "c", "meta": {"kind": "bool"}}]}],
            }
        ]
    }
    with pytest.raises(ValueError, match="unknown kind 'bool'"):
        parse_contract(document)


def test_staging_models_take_their_columns_from_the_spec() -> None:
    # One edit adds a column: no staging model lists columns of its own.
    staging = project_root() / "models" / "staging"
    for spec in load_contract().files:
        text = (staging / f"stg_registry__{spec.name}.sql").read_text()
        assert f"registry_contract_columns('{spec.name}')" in text
        assert "'kind':" not in text


def test_every_file_of_the_contract_has_a_staging_model() -> None:
    staged = {
        p.stem.removeprefix("stg_registry__")
        for p in (project_root() / "models" / "staging").glob("stg_*.sql")
    }
    assert {spec.name for spec in load_contract().files} <= staged
