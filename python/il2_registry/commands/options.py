"""Options shared by the commands that read a warehouse."""

from __future__ import annotations

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
