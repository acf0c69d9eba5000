"""PHI firewall: no PHI column and no PHI value in core, marts or audit.

The extract's PHI (patients.csv mrn, initials, birth_date) is read back from the extract and
looked for in every column of every relation of the analyst-facing schemas: column names
through information_schema, values by content. MRNs are unique strings and are looked for
anywhere; initials and birth dates are short or common values, so they count as leaked when
they appear in a row of the same patient (any table with a patient_id column). Two-letter
initials such as "PD" or "SD" are also response codes, so initials are not looked for in
coded columns (at most CODED_MAX_DISTINCT distinct values), where a code cannot be told
from initials and initials could not hide anyway.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from il2_registry.contract import load_contract
from il2_registry.publish import BUILD_FOLDER

pytestmark = pytest.mark.slow

PHI_COLUMNS = set(load_contract().phi_columns)  # the contract's one PHI list
ANALYST_SCHEMAS = ("core", "marts", "audit")
CODED_MAX_DISTINCT = 12


def extract_phi(extract_dir: Path) -> pd.DataFrame:
    patients = pd.read_csv(
        extract_dir / "patients.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    phi = patients[["patient_id", "mrn", "initials", "birth_date"]].copy()
    for column in phi.columns:
        phi[column] = phi[column].str.strip()
    return phi[phi["mrn"] != ""]


def phi_leaks(warehouse: Path, extract_dir: Path, schemas: tuple[str, ...] = ANALYST_SCHEMAS) -> list[str]:
    """Every place PHI shows up in the given schemas: 'schema.table.column: what'."""
    phi = extract_phi(extract_dir)
    leaks: list[str] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.register("phi", phi)
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            f"where table_schema in {schemas!r} order by 1, 2, ordinal_position"
        ).fetchall()
        tables: dict[tuple[str, str], list[str]] = {}
        for schema, table, column, _ in columns:
            tables.setdefault((schema, table), []).append(column)
            if column.lower() in PHI_COLUMNS:
                leaks.append(f"{schema}.{table}.{column}: PHI column name")
        for (schema, table), names in tables.items():
            relation = f'"{schema}"."{table}"'
            has_patient = "patient_id" in names
            for column in names:
                text = f'cast(t."{column}" as varchar)'
                mrn_query = f"select count(*) from {relation} as t where {text} in (select mrn from phi)"
                (mrn_hits,) = con.execute(mrn_query).fetchone()
                if mrn_hits:
                    leaks.append(f"{schema}.{table}.{column}: {mrn_hits} MRN value(s)")
                if not has_patient or column == "patient_id":
                    continue
                (distinct_values,) = con.execute(
                    f"select count(distinct {text}) from {relation} as t"
                ).fetchone()
                initials_check = f"{text} = phi.initials or " if distinct_values > CODED_MAX_DISTINCT else ""
                (paired_hits,) = con.execute(
                    f"select count(*) from {relation} as t join phi on t.patient_id = phi.patient_id "
                    f"where {text} <> '' and ({initials_check}{text} = phi.birth_date "
                    f"or {text} = strftime(try_strptime(phi.birth_date, '%m/%d/%Y'), '%Y-%m-%d'))"
                ).fetchone()
                if paired_hits:
                    leaks.append(f"{schema}.{table}.{column}: {paired_hits} initials/birth date value(s)")
    return leaks


def build_file(published: Path) -> Path:
    return published.parent / BUILD_FOLDER / published.name


def test_no_phi_in_analyst_schemas_of_the_paper_warehouse(paper_warehouse: Path, paper_extract: Path) -> None:
    assert phi_leaks(paper_warehouse, paper_extract) == []


def test_the_firewall_check_finds_phi_where_it_is(paper_warehouse: Path, paper_extract: Path) -> None:
    # Staging holds birth_date (it is the first layer that needs it): the check must see it,
    # both as a column name and as values, or it could never fail.
    leaks = phi_leaks(build_file(paper_warehouse), paper_extract, schemas=("staging",))
    assert "staging.stg_registry__patients.birth_date: PHI column name" in leaks
    assert any(
        leak.startswith("staging.stg_registry__patients.birth_date: ") and "value" in leak for leak in leaks
    )


def test_phi_stops_at_the_first_layer_that_needs_it(paper_warehouse: Path, paper_extract: Path) -> None:
    # In the unpublished build file: birth_date is a column of the staging patients model;
    # mrn, initials and birth_date are columns of staging's PHI list (stg_registry__phi_values,
    # issue 16), which the free-text redaction and the publish scan read; both are staging.
    # int_patients_aged reads birth_date there and passes on the age alone, so no
    # intermediate relation has a PHI column or a patient's birth date / initials / MRN.
    build = build_file(paper_warehouse)
    with duckdb.connect(str(build), read_only=True) as con:
        phi_columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('staging', 'intermediate') "
            f"and lower(column_name) in {tuple(sorted(PHI_COLUMNS))!r} order by 1, 2, 3"
        ).fetchall()
    assert phi_columns == [
        ("staging", "stg_registry__patients", "birth_date"),
        ("staging", "stg_registry__phi_values", "birth_date"),
        ("staging", "stg_registry__phi_values", "initials"),
        ("staging", "stg_registry__phi_values", "mrn"),
    ]
    assert phi_leaks(build, paper_extract, schemas=("intermediate",)) == []
