"""The project's own codes (diseases, cohorts, endpoints, responses, endpoint reasons, row
statuses): seeds/codes.csv, the one list dbt (the `codes` seed, the `accepted_codes` test,
core.dim_patient) and this package read. The package reads it as data/codes.csv, a symbolic
link to the seed (a built wheel holds a copy)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with resources.files("il2_registry").joinpath("data/codes.csv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def codes(code_set: str) -> tuple[str, ...]:
    """The codes of one set in their display order; KeyError for an unknown set."""
    rows = sorted((r for r in _rows() if r["code_set"] == code_set), key=lambda r: int(r["sort_order"]))
    if not rows:
        raise KeyError(f"no code set {code_set!r} in seeds/codes.csv")
    return tuple(r["code"] for r in rows)


def labels(code_set: str) -> dict[str, str]:
    """{code: display label} of one set, in display order."""
    by_code = {r["code"]: r["label"] for r in _rows() if r["code_set"] == code_set}
    return {code: by_code[code] for code in codes(code_set)}


DISEASES = codes("disease")
COHORTS = codes("cohort")
ENDPOINTS = codes("endpoint")
RESPONSES = codes("response")
