"""The genre's knowledge as data: TOML files beside this module, read once on first use (never at import)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The parsed `name`.toml of this package; lists of forms become tuples."""
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return {section: {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
            for section, table in tomllib.loads(text).items()}
