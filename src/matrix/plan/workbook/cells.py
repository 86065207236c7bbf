"""One plan value <-> one cell, by the value's kind: what the writer puts in a cell, and how the
reader takes back what a coordinator typed (a number typed as text, a date, yes or no in any
language, a country's name for its code), or says exactly why it cannot.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from matrix.codes import Code, did_you_mean
from matrix.excel.reader import ExcelError
from matrix.i18n import LANGUAGES, Phrase, catalogue, choice_lookup, normalise, phrase
from matrix.models.plan import Localised
from matrix.plan.workbook.layout import Kind, label
from matrix.validation.values import date_from_serial, read_date_text, read_number_text, shown

MAX_CELL_TEXT = 32_767
"""Characters a cell holds, in Excel and LibreOffice alike."""
EXACT_DIGITS = 15
"""Significant digits a number keeps once a spreadsheet has shown or saved it."""
_LIST_SEPARATORS = re.compile(r"\s*[,;\n،]\s*")
_EXPONENT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
"""A number in scientific notation, as the writer gives a number that would lose digits."""


class Blank:
    """No value in the cell: the field takes its default."""


BLANK = Blank()


class Problem(Exception):
    """A cell that cannot be read, as the issue to report at it."""

    def __init__(self, code: Code, **params: Any) -> None:
        super().__init__(code.message(**params))
        self.code, self.params = code, params


@dataclass(frozen=True)
class BookConventions:
    """How the workbook being read writes what a cell holds as text or serial number: numbers
    typed as text the way its language writes them ('1 250,5' in a French export), dates counted
    from 1900 or 1904."""

    lang: str = "en"
    date1904: bool = False


ENGLISH = BookConventions()


@dataclass
class Reading:
    value: Any
    warning: tuple[Code, dict[str, Any]] | None = None
    """How a value was read when it was not typed as it should be (a number typed as text)."""


# --- words ---------------------------------------------------------------------------------------


def choice_label(choice: Enum, lang: str) -> str:
    """'UN agency' for ActorType.UN_AGENCY: the catalogue's `<enum>.<value>` label."""
    return label(lang, f"{_snake(type(choice).__name__)}.{choice.value}", str(choice.value))


def _choice_phrase(choice: Enum) -> Phrase:
    """The choice's label in whatever language the message is shown; its value without one."""
    return phrase(f"{_snake(type(choice).__name__)}.{choice.value}")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def word(lang: str, key: str) -> str:
    return label(lang, f"plan_workbook.word.{key}", key)


@cache
def _words(key: str) -> frozenset[str]:
    """A word (yes, no, none) in every catalogue language."""
    return frozenset(
        normalise(str(catalogue(lang).get(f"plan_workbook.word.{key}", key))) for lang in LANGUAGES
    ) | {key}


YES_WORDS = ("yes", "true", "1")
NO_WORDS = ("no", "false", "0")


# --- writing -------------------------------------------------------------------------------------


def cell_value(value: Any, kind: Kind, lang: str, *, empty_list: bool = False) -> Any:
    """What to write for `value`: None for a blank cell, else a str, a number or a date.
    `empty_list`: an empty list is written as the word 'none' (its field's default is None)."""
    if value is None:
        return None
    if kind is Kind.BOOL:
        return word(lang, "yes" if value else "no")
    if kind is Kind.CHOICE:
        return choice_label(value, lang)
    if kind is Kind.LIST:
        return ", ".join(value) if value or not empty_list else word(lang, "none")
    if kind in (Kind.NUMBER, Kind.INTEGER) or (
        kind is Kind.TEXT_OR_NUMBER and not isinstance(value, str)
    ):
        return _number(value)
    if kind is Kind.DATE:
        return value if value.year >= 1900 else value.isoformat()  # before Excel's first date
    if kind is Kind.YAML or (isinstance(value, Localised) and value.translations):
        return yaml_text(value)  # a text with translations: {en: ..., fr: ...}
    return str(value)


def _number(value: float) -> float | str:
    """A number as a number when a spreadsheet keeps it exactly; as text when it would lose
    digits (Excel keeps 15), so the plan reads back as it was."""
    if math.isinf(value) or math.isnan(value):
        raise ValueError(value)  # the writer says which value, where
    if float(f"{value:.{EXACT_DIGITS}g}") == value:
        return value
    return repr(float(value))


def yaml_text(value: Any) -> str:
    """One line of YAML (flow style), for a value no simple cell holds."""
    return yaml.safe_dump(
        _jsonable(value),
        default_flow_style=True,
        allow_unicode=True,
        width=math.inf,
        sort_keys=False,
    ).strip()


_TRANSLATED = re.compile(r"\{\s*[a-z]{2,3}\s*:.*\}", re.DOTALL)
"""A text cell holding a text in several languages, as the writer puts it: {en: ..., fr: ...}."""


def _translations(text: str) -> dict[str, str] | None:
    """The texts by language of a cell written as {en: ..., fr: ...}; None for any other text."""
    if not _TRANSLATED.fullmatch(text.strip()):
        return None
    try:
        found = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if isinstance(found, dict) and all(
        isinstance(k, str) and re.fullmatch(r"[a-z]{2,3}", k) and isinstance(v, str)
        for k, v in found.items()
    ):
        return found
    return None


def _jsonable(value: Any) -> Any:
    """Parts of a plan as mappings without their defaults, at any depth; other values as JSON
    has them (a date as its text, which the schema reads back); a text with translations as
    a mapping by language."""
    if isinstance(value, Localised) and value.translations:
        return {value.lang: str(value), **value.translations}
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump(mode="json", exclude_defaults=True))
    if isinstance(value, dict):
        return {_jsonable(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return to_jsonable_python(value)


# --- reading -------------------------------------------------------------------------------------


def read_cell(
    raw: Any, kind: Kind, choices: type[Enum] | None, book: BookConventions = ENGLISH
) -> Reading:
    """The value of a cell of `kind`, BLANK for an empty cell; raises Problem."""
    if isinstance(raw, ExcelError):
        raise Problem(Code.CELL_ERROR, text=raw.text)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Reading(BLANK)
    reader = _READERS[kind]
    return reader(raw, choices, book)


def _text(raw: Any, _choices: Any, _book: BookConventions) -> Reading:
    if isinstance(raw, str):
        return Reading(_translations(raw) or raw)
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return Reading(shown(float(raw)) if float(raw).is_integer() else repr(float(raw)))
    if isinstance(raw, datetime) and raw.time() == time():
        return Reading(raw.date().isoformat())
    return Reading(raw.isoformat() if isinstance(raw, date | datetime | time) else str(raw))


def _float(raw: Any, _choices: Any, book: BookConventions) -> Reading:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return Reading(float(raw))
    text = str(raw).strip()
    if isinstance(raw, str):
        if _EXPONENT.fullmatch(text):
            return Reading(float(text))
        reading = read_number_text(text, book.lang)
        if reading.alternatives:
            first, second = (shown(v) for v in reading.alternatives)
            raise Problem(Code.NUMBER_AMBIGUOUS, text=text, first=first, second=second)
        if reading.value is not None:
            if not reading.from_text:
                return Reading(reading.value)
            warning = (Code.NUMBER_FROM_TEXT, {"text": text, "number": shown(reading.value)})
            return Reading(reading.value, warning)
    raise Problem(Code.NOT_A_NUMBER, text=text, what=phrase("wanted.number"))


def _integer(raw: Any, choices: Any, book: BookConventions) -> Reading:
    reading = _float(raw, choices, book)
    if not reading.value.is_integer():
        raise Problem(Code.NOT_A_NUMBER, text=str(raw).strip(), what=phrase("wanted.whole_number"))
    return Reading(int(reading.value), reading.warning)


def _text_or_number(raw: Any, choices: Any, book: BookConventions) -> Reading:
    """An integral number as an int (`action_point: 3`), anything else as text."""
    if isinstance(raw, float | int) and not isinstance(raw, bool) and float(raw).is_integer():
        return Reading(int(raw))
    return _text(raw, choices, book)


def _date(raw: Any, _choices: Any, book: BookConventions) -> Reading:
    """A date cell, an ISO date typed as text, or (with a warning) a date's serial number; a date
    with a time of day is not a plan date."""
    if isinstance(raw, datetime):
        found = raw.date() if raw.time() == time() else None
    elif isinstance(raw, date):
        found = raw
    elif isinstance(raw, str):
        found = read_date_text(raw)
    elif isinstance(raw, float | int) and not isinstance(raw, bool):
        if (found := date_from_serial(float(raw), book.date1904)) is not None:
            text = shown(float(raw))
            return Reading(
                found, (Code.DATE_FROM_NUMBER, {"text": text, "date": found.isoformat()})
            )
    else:
        found = None
    if found is None:
        raise Problem(Code.NOT_A_DATE, text=_text(raw, None, book).value)
    return Reading(found)


def _bool(raw: Any, _choices: Any, _book: BookConventions) -> Reading:
    if isinstance(raw, bool):
        return Reading(raw)
    text = normalise(_text(raw, None, ENGLISH).value)
    if text in _words("yes") or text in YES_WORDS:
        return Reading(True)
    if text in _words("no") or text in NO_WORDS:
        return Reading(False)
    raise Problem(
        Code.UNKNOWN_CHOICE,
        text=str(raw).strip(),
        hint="",
        choices=[phrase("plan_workbook.word.yes"), phrase("plan_workbook.word.no")],
    )


def _choice(raw: Any, choices: type[Enum], _book: BookConventions) -> Reading:
    text = _text(raw, None, ENGLISH).value.strip()
    lookup = choice_lookup(choices, choice_label)
    if (found := lookup.get(normalise(text))) is not None:
        return Reading(found.value)
    guess = difflib.get_close_matches(normalise(text), list(lookup), n=1, cutoff=0.6)
    hint = did_you_mean([_choice_phrase(lookup[guess[0]])]) if guess else ""
    listed = [_choice_phrase(choice) for choice in choices]
    raise Problem(Code.UNKNOWN_CHOICE, text=text, hint=hint, choices=listed)


def _list(raw: Any, _choices: Any, _book: BookConventions) -> Reading:
    text = _text(raw, None, ENGLISH).value.strip()
    if normalise(text) in _words("none"):
        return Reading([])
    return Reading([part for part in _LIST_SEPARATORS.split(text) if part])


def _yaml(raw: Any, _choices: Any, _book: BookConventions) -> Reading:
    from matrix.yaml_loader import Refused, bounded_loader

    if not isinstance(raw, str):
        return _text_or_number(raw, None, ENGLISH)
    try:
        loader = bounded_loader(raw)
        root = loader.get_single_node()
        return Reading(None if root is None else loader.construct_document(root))
    except Refused as exc:
        raise Problem(Code.CELL_YAML_INVALID, problem=phrase(exc.code.key, **exc.params)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise Problem(Code.CELL_YAML_INVALID, problem=problem) from None


_READERS: dict[Kind, Callable[[Any, Any, BookConventions], Reading]] = {
    Kind.TEXT: _text,
    Kind.NUMBER: _float,
    Kind.INTEGER: _integer,
    Kind.DATE: _date,
    Kind.BOOL: _bool,
    Kind.CHOICE: _choice,
    Kind.LIST: _list,
    Kind.TEXT_OR_NUMBER: _text_or_number,
    Kind.YAML: _yaml,
}
