"""HD IL-2 registry warehouse: generator, survival statistics, report and CLI.

For analysts (docs/python_api.md):

    import il2_registry as il2
    con = il2.connect()                      # the published warehouse, read-only
    fit = il2.km("from marts.survival where endpoint = 'OS'", time="time_months",
                 event="event", group="cohort", times=[6, 12, 24])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["connect", "km"]

if TYPE_CHECKING:
    from il2_registry.api import connect, km


def __getattr__(name: str) -> Any:
    # Lazy: `import il2_registry` must not load duckdb, pandas or lifelines (the dbt plugin and
    # the CLI import this package too).
    if name in __all__:
        from il2_registry import api

        return getattr(api, name)
    raise AttributeError(f"module 'il2_registry' has no attribute {name!r}")
