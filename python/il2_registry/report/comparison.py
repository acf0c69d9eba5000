"""Published vs reproduced: walk every figure of published_values.yml and judge each one.

Pure functions: `compare` takes the published document and a resolver (path -> reproduced
value) and returns one row per published figure. A figure the resolver cannot compute is
shown as "not computed" and does not match: nothing published is silently left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

NOT_REACHED = "not_reached"
# Sentinel a resolver returns when it cannot compute a figure from this warehouse.
NOT_COMPUTED = object()
# Figures printed to one decimal in the paper (percentages, SDs) match within half a unit.
ONE_DECIMAL = 0.05
# Float noise allowance so that a difference of exactly the tolerance matches.
EPSILON = 1e-9

Path = tuple[str, ...]
Resolver = Callable[[Path], Any]


@dataclass(frozen=True)
class Judged:
    """A reproduced figure the extract carries only in part, judged by the resolver itself
    (e.g. steroid use recorded, but not the agent): `basis` says what was compared."""

    display: str
    match: bool
    basis: str


@dataclass(frozen=True)
class Leaf:
    path: Path
    published: Any
    is_list_item: bool = False


def iter_leaves(document: dict[str, Any]) -> Iterator[Leaf]:
    """Every published figure, in file order. List items become one figure each."""

    def walk(node: Any, path: Path) -> Iterator[Leaf]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, (*path, str(key)))
        elif isinstance(node, list):
            for item in node:
                yield Leaf((*path, str(item)), item, is_list_item=True)
        else:
            yield Leaf(path, node)

    for section, node in document.items():
        if section == "tolerances":
            continue
        yield from walk(node, (section,))


def tolerance_for(leaf: Leaf, tolerances: dict[str, float]) -> float | None:
    """The allowed absolute difference for a numeric figure; None for text and list items."""
    published = leaf.published
    if leaf.is_list_item or isinstance(published, bool) or not isinstance(published, int | float | str):
        return None
    if isinstance(published, str) and published != NOT_REACHED:
        return None
    key = leaf.path[-1]
    if leaf.path[0] == "survival_months":
        return float(tolerances.get("median_months", 0.1))
    if key in tolerances:
        return float(tolerances[key])
    if isinstance(published, int):
        return float(tolerances.get("count", 0))
    return ONE_DECIMAL


def describe_tolerance(leaf: Leaf, tolerance: float | None) -> str:
    if leaf.is_list_item:
        return "seen (>= 1 patient)"
    if tolerance is None:
        return "same text"
    if tolerance == 0:
        return "exact"
    return f"± {tolerance:g}"


def is_match(published: Any, reproduced: Any, tolerance: float | None, is_list_item: bool = False) -> bool:
    if reproduced is NOT_COMPUTED or reproduced is None:
        return False
    if is_list_item:
        return isinstance(reproduced, int | float) and reproduced > 0
    if published == NOT_REACHED or reproduced == NOT_REACHED:
        return published == reproduced
    if isinstance(published, str):
        return str(published).strip().casefold() == str(reproduced).strip().casefold()
    if not isinstance(reproduced, int | float) or isinstance(reproduced, bool):
        return False
    if isinstance(reproduced, float) and math.isnan(reproduced):
        return False
    return abs(float(reproduced) - float(published)) <= (tolerance or 0.0) + EPSILON


def format_value(value: Any) -> str:
    if value is NOT_COMPUTED or value is None:
        return "not computed"
    if value == NOT_REACHED:
        return "not reached"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "not computed"
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return str(value)


def format_list_reproduced(value: Any) -> str:
    if value is NOT_COMPUTED or value is None:
        return "not computed"
    n = int(value)
    return "not seen" if n == 0 else f"seen ({n} patient{'s' if n != 1 else ''})"


def compare(document: dict[str, Any], resolve: Resolver) -> pd.DataFrame:
    """One row per published figure: section, figure, published, reproduced, tolerance, match."""
    tolerances = document.get("tolerances", {}) or {}
    rows = []
    for leaf in iter_leaves(document):
        try:
            reproduced = resolve(leaf.path)
        except (KeyError, IndexError, ValueError):
            reproduced = NOT_COMPUTED
        tolerance = tolerance_for(leaf, tolerances)
        if isinstance(reproduced, Judged):
            rows.append(
                {
                    "section": leaf.path[0],
                    "figure": " › ".join(leaf.path[1:]),
                    "published": format_value(leaf.published),
                    "reproduced": reproduced.display,
                    "tolerance": reproduced.basis,
                    "match": "yes" if reproduced.match else "no",
                }
            )
            continue
        match = is_match(leaf.published, reproduced, tolerance, leaf.is_list_item)
        rows.append(
            {
                "section": leaf.path[0],
                "figure": " › ".join(leaf.path[1:]),
                "published": "seen" if leaf.is_list_item else format_value(leaf.published),
                "reproduced": (
                    format_list_reproduced(reproduced) if leaf.is_list_item else format_value(reproduced)
                ),
                "tolerance": describe_tolerance(leaf, tolerance),
                "match": "yes" if match else "no",
            }
        )
    return pd.DataFrame(rows, columns=["section", "figure", "published", "reproduced", "tolerance", "match"])


def published_inconsistencies(document: dict[str, Any]) -> list[str]:
    """Published figures no extract can reproduce together, found from the figures themselves.

    Under the BOR rule a patient whose first assessment is PD has a best overall response of PD
    (or NE, when a new therapy came first), so initial PD <= BOR PD + BOR NE must hold.
    """
    notes = []
    for disease, kinds in (document.get("table_1_best_response") or {}).items():
        initial = (kinds or {}).get("initial_response") or {}
        best = (kinds or {}).get("best_overall_response") or {}
        initial_pd = initial.get("PD")
        if initial_pd is None or "PD" not in best:
            continue
        limit = best["PD"] + best.get("NE", 0)
        if initial_pd > limit:
            notes.append(
                f"Table 1, {disease}: the paper gives {initial_pd} patients with an initial response "
                f"of PD but only {limit} with a best overall response of PD or NE. A first assessment "
                "of PD makes the best overall response PD (or NE), so no extract can reproduce both; "
                "the initial-response PD and SD figures of this column cannot both match."
            )
    return notes


def infeasible_figures(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(section, figure) of the published figures `published_inconsistencies` shows no extract can
    reproduce: the initial-response PD and SD of a Table 1 column whose initial PD exceeds BOR PD + NE."""
    figures = set()
    for disease, kinds in (document.get("table_1_best_response") or {}).items():
        initial = (kinds or {}).get("initial_response") or {}
        best = (kinds or {}).get("best_overall_response") or {}
        if initial.get("PD") is None or "PD" not in best:
            continue
        if initial["PD"] > best["PD"] + best.get("NE", 0):
            for response in ("PD", "SD"):
                figures.add(("table_1_best_response", " › ".join((disease, "initial_response", response))))
    return figures
