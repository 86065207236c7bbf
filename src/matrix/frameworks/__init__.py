"""Built-in frameworks (the 10-Point Plan, the Dar es Salaam action plan), one YAML file each."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from matrix.models.plan import Framework

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Package data, trusted: libyaml's loader when PyYAML has it (the 10-Point Plan's guidance in
four languages takes 0.2 s to parse in Python, a tenth of that in C)."""


def builtin_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".yaml") for p in files(__name__).iterdir() if p.name.endswith(".yaml")
    )


@cache
def builtin_framework(name: str) -> Framework:
    """Raises KeyError for an unknown name; `matrix.plan.checks` turns that into an issue with a
    hint."""
    if name not in builtin_names():
        raise KeyError(name)
    text = files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return Framework.model_validate(yaml.load(text, Loader=SAFE_LOADER))
