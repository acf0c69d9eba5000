"""The paper's published figures, carried in the package (data/published_values.yml)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def load_published() -> dict[str, Any]:
    text = resources.files("il2_registry").joinpath("data/published_values.yml").read_text("utf-8")
    return yaml.safe_load(text)
