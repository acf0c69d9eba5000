"""Options shared by the commands that read a warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

LockOption = Annotated[
    str | None,
    typer.Option(
        "--lock",
        help="Read the archived data lock with this extract id (see `il2reg locks`) instead of the "
        "published warehouse.",
    ),
]

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Warehouse file (default: $IL2_WAREHOUSE, else warehouse/il2_registry.duckdb "
        "under the project checkout containing the current folder).",
    ),
]
