"""The message catalogue: every word matrix shows a person, one YAML file per language.

English is complete by definition; tests check that French, Spanish and Arabic have the same keys,
the same placeholders and every plural form their language needs, so a missing translation is a
failing test rather than an English word in an Arabic form.

An entry is a `str.format` template, or for a sentence that depends on a number a mapping of CLDR
plural categories (`one`, `few`, `other`...) chosen by the `count` parameter with Babel's plural
rules. Parameters are formatted for the language: numbers and percentages with its separators,
dates in its words, lists with its conjunction, and a `phrase` (a message inside a message, kept
as data) in the same language. A template may ask for a form after the colon: `{n:plain}` (digits
without grouping, for a number to type), `{p:percent}` (0-100), `{d:date}`, `{items:or}` (an
"or" list), `{items:quoted}` (each item quoted), `{s:lower}`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import yaml
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

from matrix.models.plan import ActionPoint, Framework, Status
from matrix.models.plan import in_language as plan_text

if TYPE_CHECKING:
    from matrix.models.issues import Issue

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
LANGUAGES = ("en", "fr", "es", "ar")
DEFAULT_LANG = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
LANG_ENV = "MATRIX_LANG"
"""Environment variable that sets the language of what the command line prints."""
PHRASE = "$t"
"""The key of a phrase: {"$t": "catalogue.key", **its params}, JSON as it is."""

Entry = str | dict[str, str]
Phrase = dict[str, object]
"""A message inside a message: {PHRASE: key, **params}, JSON as it is."""


@cache
def catalogue(lang: str) -> dict[str, Entry]:
    if lang not in LANGUAGES:
        raise ValueError(
            f"language '{lang}' is not available; choose one of {', '.join(LANGUAGES)}"
        )
    text = files("matrix.locales").joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def known(key: str) -> bool:
    return key in catalogue(DEFAULT_LANG)


def phrase(key: str, /, **params: object) -> Phrase:
    """A message to be put into another one, in whatever language that one is shown."""
    return {PHRASE: key, **params}


def is_phrase(value: object) -> TypeGuard[dict[str, object]]:
    return isinstance(value, dict) and PHRASE in value


def t(lang: str, key: str, /, **params: object) -> str:
    """Translate `key`; `params` fill its placeholders, formatted for `lang`."""
    entry = catalogue(lang).get(key)
    if entry is None:
        entry = catalogue(DEFAULT_LANG)[key]
    if isinstance(entry, dict):
        entry = entry.get(plural_category(lang, params.get("count", 0))) or entry["other"]
    if not params:
        return entry
    return entry.format_map(_Values(params, lang))


def render(lang: str, message: object) -> str:
    """A phrase, or any other parameter value, as text in `lang`."""
    return format_value(message, lang, "")


@cache
def locale(lang: str) -> Locale:
    """Parsed once: Babel parses a locale given by name again on every call (a third of the time
    of formatting a number)."""
    return Locale.parse(lang)


def plural_category(lang: str, count: object) -> str:
    number = count if isinstance(count, int | float) and not isinstance(count, bool) else 0
    return locale(lang).plural_form(abs(number))


def plural_categories(lang: str) -> frozenset[str]:
    """The plural forms `lang` distinguishes ('other' included), as a catalogue must give them."""
    return frozenset(locale(lang).plural_form.tags) | {"other"}


class _Values(Mapping[str, object]):
    """Parameters as `str.format_map` sees them: each formatted for the language on use."""

    def __init__(self, params: Mapping[str, object], lang: str):
        self.params, self.lang = params, lang

    def __getitem__(self, name: str) -> _Value:
        return _Value(self.params[name], self.lang)

    def __iter__(self):
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)


class _Value:
    __slots__ = ("lang", "value")

    def __init__(self, value: object, lang: str):
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        return format_value(self.value, self.lang, spec)

    def __str__(self) -> str:
        return format_value(self.value, self.lang, "")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def format_value(value: object, lang: str, spec: str = "") -> str:
    """One parameter as text in `lang`; `spec` is the template's comma-separated forms."""
    forms = frozenset(spec.split(",")) if spec else frozenset()
    if isinstance(value, list | tuple):
        each = ",".join(sorted(forms - {"or"}))
        items = [format_value(item, lang, each) for item in value]
        return (
            format_list(items, style="or" if "or" in forms else "standard", locale=locale(lang))
            if items
            else ""
        )
    if value is None:
        text = ""
    elif is_phrase(value):
        key = str(value[PHRASE])
        params = {k: v for k, v in value.items() if k != PHRASE}
        text = t(lang, key, **params) if known(key) else key  # a text given where a key goes
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int | float):
        text = format_number(value, lang, plain="plain" in forms, percent="percent" in forms)
    elif isinstance(value, date):
        text = format_moment(value, lang) if "datetime" in forms else format_day(value, lang)
    elif isinstance(value, str) and forms & {"date", "datetime"} and _ISO_DATE.match(value):
        moment = datetime.fromisoformat(value)
        text = format_moment(moment, lang) if "datetime" in forms else format_day(moment, lang)
    else:
        text = str(value)
    if "lower" in forms:
        text = text.lower()
    if "quoted" in forms:
        text = t(lang, "format.quoted", text=text)
    return text


def format_number(value: float, lang: str, *, plain: bool = False, percent: bool = False) -> str:
    """1250.5 -> '1,250.5' (en), '1 250,5' (fr), '1.250,5' (es); `plain` leaves out grouping (a
    number to type); `percent` reads a 0-100 value as a percentage."""
    if percent:
        return format_percent(value / 100, locale=locale(lang))
    return format_decimal(value, locale=locale(lang), group_separator=not plain)


def format_day(day: date, lang: str, style: str = "medium") -> str:
    """A date in the language's words ('30 sept. 2026'); never an ambiguous 03/04."""
    if isinstance(day, datetime):
        day = day.date()
    return format_date(day, style, locale=locale(lang))


def format_moment(moment: date, lang: str) -> str:
    """A date and time in the language's words, in the time zone it was written with."""
    if not isinstance(moment, datetime):
        return format_day(moment, lang)
    return format_datetime(moment, "medium", tzinfo=moment.tzinfo, locale=locale(lang))


def status_label(status: Status, lang: str) -> str:
    return t(lang, f"status.{status.value}")


def normalise(text: str) -> str:
    """A label as it is compared with what someone typed: any case, any run of spaces, dashes or
    underscores."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_-]+", " ", text).strip()


@cache
def choice_lookup(choices: type[E], label: Callable[[E, str], str]) -> dict[str, E]:
    """Every way a choice may be typed, normalised, to the choice: its value, and its label in
    each catalogue language (statuses in a return, the plan workbook's drop-downs)."""
    lookup = {}
    for choice in choices:
        lookup[normalise(choice.value)] = choice
        for lang in LANGUAGES:
            lookup[normalise(label(choice, lang))] = choice
    return lookup


def parse_status(text: str) -> Status | None:
    """Read a status typed in any catalogue language, any case, with stray spaces; None if
    unknown."""
    return choice_lookup(Status, status_label).get(normalise(str(text)))


def action_point_title(framework_id: str, ap_id: str, default: str, lang: str) -> str:
    """Built-in frameworks have translated titles; a plan's own framework has its own words, in
    `lang` when it gives them."""
    return _plain(catalogue(lang).get(f"framework.{framework_id}.{ap_id}")) or plan_text(
        default, lang
    )


def action_point_label(number: int, title: str) -> str:
    """'3. Protection-sensitive entry systems': the action point as shown in cells and
    drop-downs."""
    return f"{number}. {title}"


def localised_action_point_label(framework: Framework, ap: ActionPoint, lang: str) -> str:
    """`action_point_label` with the action point's title in `lang` (built-in frameworks)."""
    return action_point_label(ap.number, action_point_title(framework.id, ap.id, ap.title, lang))


def action_point_number(text: object) -> int | None:
    """The number an `action_point_label` starts with ('3. ...' or a bare '3'), whatever its
    language."""
    head = str(text or "").strip().split(".", 1)[0].strip()
    return int(head) if head.isdigit() else None


def action_point_description(framework_id: str, ap_id: str, default: str, lang: str) -> str:
    return _plain(
        catalogue(lang).get(f"framework.{framework_id}.{ap_id}.description")
    ) or plan_text(default, lang)


def in_language(texts: Mapping[str, T] | str, lang: str) -> T | str | None:
    """A plan's text in `lang`: from a mapping of languages (guidance, overview headings) `lang`,
    else English, else the first given; a text of the plan (`models.plan.Localised`) its
    translation, else as the plan wrote it."""
    if isinstance(texts, Mapping):
        if lang in texts:
            return texts[lang]
        if "en" in texts:
            return texts["en"]
        return next(iter(texts.values()), None)
    return plan_text(texts, lang)


def action_point_title_param(framework: Framework, ap: ActionPoint) -> Phrase | str:
    """An action point's title as a message parameter: translated for a built-in framework."""
    key = f"framework.{framework.id}.{ap.id}"
    return phrase(key) if known(key) else str(ap.title)


def framework_title(framework: Framework, lang: str) -> str:
    """'Le Plan d'action en 10 points': a built-in framework's title in `lang`."""
    key = f"framework.{framework.id}.title"
    return _plain(catalogue(lang).get(key)) or plan_text(framework.title, lang)


def _plain(entry: Entry | None) -> str | None:
    return entry if isinstance(entry, str) else None


def output_language(lang: str | None = None) -> str:
    """The language a command prints in: the one asked for, else $MATRIX_LANG, else English."""
    chosen = lang or os.environ.get(LANG_ENV) or DEFAULT_LANG
    return chosen if chosen in LANGUAGES else DEFAULT_LANG


def issue_message(issue: Issue, lang: str) -> str:
    """The issue's message in `lang`, from its code and parameters; the stored English message
    for an issue recorded before matrix kept parameters, or with a code this version lacks."""
    key = f"issue.{issue.code}"
    if issue.params is None or not known(key):
        return issue.message
    try:
        return t(lang, key, **issue.params)
    except (KeyError, IndexError, ValueError):  # parameters of another version of the message
        return issue.message


def severity_label(issue: Issue, lang: str) -> str:
    return t(lang, f"severity.{issue.severity.value}")


def render_issue(issue: Issue, lang: str) -> str:
    """`plan.yaml:12  error  unknown-actor  ...`: where, severity, code and message, one line."""
    severity, message = severity_label(issue, lang), issue_message(issue, lang)
    return f"{issue.where}  {severity}  {issue.code}  {message}".strip()


def jsonable(value: Any) -> Any:
    """A parameter as it is stored (JSON): dates as ISO text, tuples as lists, the rest as is."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
