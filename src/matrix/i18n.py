"""The message catalogue: every label a workbook or report shows, one YAML file per language.

English is complete by definition; a test checks that French, Spanish and Arabic have exactly the
same keys, so a missing translation is a failing test rather than an English word in an Arabic form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import TypeVar

import yaml

from matrix.models.plan import ActionPoint, Framework, Status

T = TypeVar("T")
LANGUAGES = ("en", "fr", "es", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not available; choose one of {', '.join(LANGUAGES)}")
    text = files("matrix.locales").joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def t(lang: str, key: str, **params: object) -> str:
    """Translate `key`; `params` fill `{name}` placeholders."""
    template = catalogue(lang).get(key)
    if template is None:
        template = catalogue("en")[key]
    return template.format(**params) if params else template


def status_label(status: Status, lang: str) -> str:
    return t(lang, f"status.{status.value}")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_-]+", " ", text).strip()


@cache
def _status_lookup() -> dict[str, Status]:
    lookup = {}
    for status in Status:
        lookup[_normalise(status.value)] = status
        for lang in LANGUAGES:
            lookup[_normalise(status_label(status, lang))] = status
    return lookup


def parse_status(text: str) -> Status | None:
    """Read a status typed in any catalogue language, any case, with stray spaces; None if unknown."""
    return _status_lookup().get(_normalise(str(text)))


def action_point_title(framework_id: str, ap_id: str, default: str, lang: str) -> str:
    """Built-in frameworks have translated titles; a plan's own framework keeps its own words."""
    return catalogue(lang).get(f"framework.{framework_id}.{ap_id}", default)


def action_point_label(number: int, title: str) -> str:
    """'3. Protection-sensitive entry systems': the action point as shown in cells and drop-downs."""
    return f"{number}. {title}"


def localised_action_point_label(framework: Framework, ap: ActionPoint, lang: str) -> str:
    """`action_point_label` with the action point's title in `lang` (built-in frameworks)."""
    return action_point_label(ap.number, action_point_title(framework.id, ap.id, ap.title, lang))


def action_point_number(text: object) -> int | None:
    """The number an `action_point_label` starts with ('3. ...' or a bare '3'), whatever its language."""
    head = str(text or "").strip().split(".", 1)[0].strip()
    return int(head) if head.isdigit() else None


def action_point_description(framework_id: str, ap_id: str, default: str, lang: str) -> str:
    return catalogue(lang).get(f"framework.{framework_id}.{ap_id}.description", default)


def framework_title(framework_id: str, default: str, lang: str) -> str:
    return catalogue(lang).get(f"framework.{framework_id}.title", default)


def in_language(texts: Mapping[str, T], lang: str) -> T | None:
    """A plan's text in `lang`, else in English, else in the first language it is given in."""
    if lang in texts:
        return texts[lang]
    if "en" in texts:
        return texts["en"]
    return next(iter(texts.values()), None)
