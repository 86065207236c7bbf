"""The one place Jinja2 environments are made.

Templates live in the repository's top-level `templates/`; a wheel carries them as
`matrix/templates` (see pyproject's force-include), so both places are searched, package first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)


def _loaders() -> list[BaseLoader]:
    loaders: list[BaseLoader] = []
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        loaders.append(PackageLoader("matrix", "templates"))
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        loaders.append(FileSystemLoader(checkout))
    return loaders


@cache
def environment() -> Environment:
    """HTML is autoescaped: workbook text is shown as text. Undefined names fail loudly."""
    return Environment(
        loader=ChoiceLoader(_loaders()),
        autoescape=select_autoescape(["html", "htm", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
