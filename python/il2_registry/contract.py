"""The extract contract, read from its one spec: `models/staging/_registry__sources.yml`.

dbt reads the same file natively (staging takes its columns from it through the macro
`registry_contract_columns`); Python reads it here: the extract check, `il2reg extract
manifest`, the generated page docs/contract_columns.md, the PHI list of publication and the
generator's conformance tests. See the comment at the top of the YAML for the meta keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from il2_registry.paths import project_root

SPEC_RELATIVE = Path("models") / "staging" / "_registry__sources.yml"
SOURCE_NAME = "registry"
KINDS = ("text", "code", "date", "partial_date", "timestamp", "integer", "decimal", "patient_id")
# A registry subject id: site id (S + 3 digits), dash, 4 digits; compared after trim + upper.
PATIENT_ID_PATTERN = r"S[0-9]{3}-[0-9]{4}"
DATE_KINDS = ("date", "partial_date")


@dataclass(frozen=True)
class RequiredWhen:
    """A conditional requirement: required on rows whose typed `column` equals `equals`."""

    column: str
    equals: str

    def describe(self) -> str:
        return f"when {self.column} is {self.equals}"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    description: str = ""
    required: bool = False
    required_when: RequiredWhen | None = None
    codes: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    phi: bool = False
    keep: bool = True
    free_text: bool = False
    header_aliases: tuple[str, ...] = ()

    @property
    def accepted_codes(self) -> set[str]:
        """Every upper-case text staging maps to a code (the codes and their aliases)."""
        return {*self.codes, *self.aliases}

    def valid(self) -> str:
        """What is valid, in words (the same text as the dbt macro registry_valid_values)."""
        if self.kind == "code":
            text = "one of " + ", ".join(self.codes)
            if self.aliases:
                text += (
                    " (also " + ", ".join(f"{alias} for {code}" for alias, code in self.aliases.items()) + ")"
                )
            return text
        if self.kind == "date":
            return "a date YYYY-MM-DD or MM/DD/YYYY"
        if self.kind == "partial_date":
            return "a date YYYY-MM-DD or MM/DD/YYYY, or a partial date YYYY-MM or YYYY"
        if self.kind == "timestamp":
            return "a timestamp YYYY-MM-DD HH:MM[:SS] (or with T)"
        if self.kind in ("integer", "decimal"):
            text = "a whole number" if self.kind == "integer" else "a number with a dot for decimals"
            if self.min is not None and self.max is not None:
                return f"{text} from {_number(self.min)} to {_number(self.max)}"
            if self.min is not None:
                return f"{text} of at least {_number(self.min)}"
            if self.max is not None:
                return f"{text} of at most {_number(self.max)}"
            return text
        if self.kind == "patient_id":
            return "a patient id S###-#### (e.g. S014-0023; case and padding ignored)"
        return "any text"

    def requirement(self) -> str:
        """'yes', 'no' or the condition, in words."""
        if self.required:
            return "yes"
        return self.required_when.describe() if self.required_when else "no"


@dataclass(frozen=True)
class FileSpec:
    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    may_be_empty: bool = True
    key_columns: tuple[str, ...] = ()
    parent: str | None = None
    parent_key: str = "patient_id"
    feeds_endpoints: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.file_name} has no column {name} in the contract")


@dataclass(frozen=True)
class Contract:
    version: int
    na_tokens: tuple[str, ...]
    files: tuple[FileSpec, ...]
    # The PHI-in-text regexes (source meta phi_patterns): staging's scan and the publish step's.
    phi_patterns: dict[str, str] = field(default_factory=dict)

    def file(self, file_name: str) -> FileSpec:
        for spec in self.files:
            if file_name in (spec.name, spec.file_name):
                return spec
        raise KeyError(f"no file {file_name} in the contract")

    @property
    def file_names(self) -> list[str]:
        return [spec.file_name for spec in self.files]

    @property
    def phi_columns(self) -> tuple[str, ...]:
        """The PHI column names (the contract's one PHI list)."""
        return tuple(dict.fromkeys(c.name for f in self.files for c in f.columns if c.phi))

    def is_missing(self, value: str | None) -> bool:
        """The contract's missing values: an NA token (any case, any padding)."""
        return value is None or value.strip().upper() in self.na_tokens


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _column(raw: dict[str, Any]) -> ColumnSpec:
    meta = raw.get("meta") or {}
    kind = meta.get("kind", "text")
    if kind not in KINDS:
        raise ValueError(f"contract column {raw['name']}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    condition = meta.get("required_when")
    return ColumnSpec(
        name=raw["name"],
        kind=kind,
        description=str(raw.get("description", "")).strip(),
        required=bool(meta.get("required", False)),
        required_when=RequiredWhen(str(condition["column"]), str(condition["equals"])) if condition else None,
        codes=tuple(str(code) for code in meta.get("codes") or ()),
        aliases={str(k): str(v) for k, v in (meta.get("aliases") or {}).items()},
        min=meta.get("min"),
        max=meta.get("max"),
        phi=bool(meta.get("phi", False)),
        keep=bool(meta.get("keep", True)),
        free_text=bool(meta.get("free_text", False)),
        header_aliases=tuple(meta.get("header_aliases") or ()),
    )


def _file(raw: dict[str, Any]) -> FileSpec:
    meta = raw.get("meta") or {}
    return FileSpec(
        name=raw["name"],
        description=" ".join(str(raw.get("description", "")).split()),
        columns=tuple(_column(column) for column in raw.get("columns") or ()),
        may_be_empty=bool(meta.get("may_be_empty", True)),
        key_columns=tuple(meta.get("key_columns") or ()),
        parent=meta.get("parent"),
        parent_key=meta.get("parent_key", "patient_id"),
        feeds_endpoints=tuple(meta.get("feeds_endpoints") or ()),
    )


def parse_contract(document: dict[str, Any]) -> Contract:
    """The contract from the parsed sources YAML (the `registry` source)."""
    for source in document.get("sources") or ():
        if source.get("name") == SOURCE_NAME:
            meta = source.get("meta") or {}
            return Contract(
                version=int(meta.get("contract_version", 1)),
                na_tokens=tuple(str(token).upper() for token in meta.get("na_tokens", ("",))),
                files=tuple(_file(table) for table in source.get("tables") or ()),
                phi_patterns={str(k): str(v) for k, v in (meta.get("phi_patterns") or {}).items()},
            )
    raise ValueError(f"no source named {SOURCE_NAME!r} in the contract spec")


def spec_table_json(table_name: str, path: Path | None = None) -> str:
    """One registry table of the spec as dbt parses it ({name, meta, source_meta, columns: {name:
    {name, meta}}}), for macros that cannot see dbt's graph (unit tests, Spark)."""
    document = yaml.safe_load((path or spec_path()).read_text(encoding="utf-8"))
    for source in document.get("sources") or ():
        source_meta = {k: v for k, v in (source.get("meta") or {}).items() if k != "external_location"}
        for table in source.get("tables") or () if source.get("name") == SOURCE_NAME else ():
            if table["name"] == table_name:
                columns = {
                    c["name"]: {"name": c["name"], "meta": c.get("meta") or {}} for c in table["columns"]
                }
                return json.dumps(
                    {
                        "name": table_name,
                        "meta": table.get("meta") or {},
                        "source_meta": source_meta,
                        "columns": columns,
                    }
                )
    raise KeyError(f"no table {table_name} in the contract spec")


def spec_path(root: Path | None = None) -> Path:
    return (root or project_root()) / SPEC_RELATIVE


@lru_cache(maxsize=4)
def _load(path: Path) -> Contract:
    return parse_contract(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_contract(path: Path | None = None) -> Contract:
    """The project's contract (cached per spec file)."""
    return _load((path or spec_path()).resolve())
