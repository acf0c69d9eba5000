"""HD IL-2 registry warehouse: generator, survival statistics, report and CLI."""

__version__ = "0.1.0"
