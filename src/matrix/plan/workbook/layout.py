"""Where everything sits in a plan workbook, declared once for the writer and the reader.

The columns and settings are derived from the plan's pydantic models, so a field added to the
models gets a column (or a setting row) without a change here, and round-trips: its kind comes
from its type, and a type no simple cell can hold (a nested mapping, a union) is written as
one-line YAML. Sheets and columns are found on reading by their names in any catalogue
language, so a workbook exported in French reads like one in English.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from matrix.i18n import catalogue, t
from matrix.models.plan import ActionPoint, Activity, Actor, Indicator, Objective, Plan

FORMAT = 1
"""The layout's version, in the hidden metadata sheet; bump when an older reader cannot follow."""
META_SHEET = "_plan"
"""Very hidden: key/value rows (format, plan schema version, language, role -> sheet name)."""

TITLE_ROW = 1
HINT_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
"""1-based rows of every table sheet (and of the Plan sheet's settings)."""
SPARE_ROWS = 300
"""Rows below the last one that keep the drop-downs, for rows a coordinator adds."""
SETTING_COLUMNS = (("key", 24), ("setting", 34), ("value", 50), ("help", 70))
"""The Plan sheet: the field's path as in plan.yaml, its label, its value, what it means."""


class Role(StrEnum):
    """What a sheet is for; its name is the catalogue's `plan_workbook.sheet.<role>`."""

    INSTRUCTIONS = "instructions"
    PLAN = "plan"
    COUNTRIES = "countries"
    ACTORS = "actors"
    ACTION_POINTS = "action_points"
    OBJECTIVES = "objectives"
    ACTIVITIES = "activities"
    INDICATORS = "indicators"
    LISTS = "lists"


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    LIST = "list"
    """Values separated by commas in one cell: partners, an activity's countries."""
    TEXT_OR_NUMBER = "text_or_number"
    """Kept as typed, a number or a text: an objective's action point is `AP3` or `3`."""
    YAML = "yaml"
    """One-line YAML, for what no simple cell holds (guidance in several languages)."""


class Pick(StrEnum):
    """Where a drop-down's choices come from: a column of the hidden Lists sheet, or the id
    column of another sheet (so a row a coordinator adds there is offered at once)."""

    CHOICE = "choice"
    """The labels of the column's own choices (an enum, or yes/no)."""
    FRAMEWORKS = "frameworks"
    ACTION_POINTS = "action_points"
    COUNTRIES = "countries"
    CURRENCIES = "currencies"
    ACTORS = "actors"
    OBJECTIVES = "objectives"
    ACTIVITIES = "activities"


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind
    width: float
    required: bool = False
    choices: type[Enum] | None = None
    picks: Pick | None = None
    derived: bool = False
    """Shown to help (a country's name), never read back."""

    def label(self, role: Role, lang: str) -> str:
        return label(lang, f"plan_workbook.column.{role}.{self.key}", self.key)

    def help(self, role: Role, lang: str) -> str:
        return label(lang, f"plan_workbook.help.{role}.{self.key}", "")


@dataclass(frozen=True)
class Table:
    """A sheet with one row per item: a header row, then the items in plan order."""

    role: Role
    columns: tuple[Column, ...]
    model: type[BaseModel] | None = None
    """What a row is; None for the countries, which are plain codes."""
    parent: str | None = None
    """The column naming the item each row belongs to (an activity's objective)."""

    @property
    def read_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.derived)


@dataclass(frozen=True)
class Setting:
    """One row of the Plan sheet: a plan field (or a field of one of its parts) and its value."""

    path: tuple[str, ...]
    kind: Kind
    required: bool
    choices: type[Enum] | None = None
    picks: Pick | None = None

    @property
    def key(self) -> str:
        return ".".join(self.path)

    def label(self, lang: str) -> str:
        return label(lang, f"plan_workbook.setting.{self.key}", self.key)

    def help(self, lang: str) -> str:
        return label(lang, f"plan_workbook.help.plan.{self.key}", "")


def label(lang: str, key: str, fallback: str) -> str:
    """A catalogue text, or `fallback` for a field added to the models but not yet labelled."""
    return t(lang, key) if key in catalogue("en") else fallback


# --- kinds from the models' types ----------------------------------------------------------------

WIDTHS = {
    Kind.TEXT: 28,
    Kind.NUMBER: 12,
    Kind.INTEGER: 10,
    Kind.DATE: 12,
    Kind.BOOL: 11,
    Kind.CHOICE: 24,
    Kind.LIST: 26,
    Kind.TEXT_OR_NUMBER: 14,
    Kind.YAML: 40,
}
KEY_WIDTHS = {
    "id": 14,
    "title": 50,
    "name": 40,
    "description": 40,
    "lead": 14,
    "unit": 14,
    "code": 10,
    "currency": 11,
    "objective": 14,
    "activity": 14,
    "number": 9,
    "countries": 22,
}
PICKS = {
    "lead": Pick.ACTORS,
    "action_point": Pick.ACTION_POINTS,
    "currency": Pick.CURRENCIES,
    "framework": Pick.FRAMEWORKS,
}
"""Fields whose values come from a list, wherever they appear."""


def _strip(annotation: Any) -> tuple[Any, bool]:
    """The type without `Annotated` and `None`, and whether None is allowed."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(members) < len(get_args(annotation))
        if len(members) == 1:
            return _strip(members[0])[0], optional
        return typing.Union[tuple(members)], optional  # noqa: UP007 - built at run time
    return annotation, False


def kind_of(annotation: Any) -> tuple[Kind, type[Enum] | None]:
    """How a value of this type is written in one cell."""
    base, _ = _strip(annotation)
    if get_origin(base) in (Union, types.UnionType):
        members = {_strip(a)[0] for a in get_args(base)}
        return (Kind.TEXT_OR_NUMBER, None) if members == {str, int} else (Kind.YAML, None)
    if isinstance(base, type) and issubclass(base, Enum):
        return Kind.CHOICE, base
    simple = {
        bool: Kind.BOOL,
        int: Kind.INTEGER,
        float: Kind.NUMBER,
        date: Kind.DATE,
        str: Kind.TEXT,
    }
    if base in simple:
        return simple[base], None
    if get_origin(base) is Literal and all(isinstance(a, str) for a in get_args(base)):
        return Kind.TEXT, None
    if get_origin(base) is list and _strip(get_args(base)[0])[0] is str:
        return Kind.LIST, None
    return Kind.YAML, None


def model_columns(model: type[BaseModel], skip: tuple[str, ...] = ()) -> list[Column]:
    columns = []
    for key, field in model.model_fields.items():
        if key in skip:
            continue
        kind, choices = kind_of(field.annotation)
        columns.append(
            Column(
                key,
                kind,
                KEY_WIDTHS.get(key, WIDTHS[kind]),
                required=field.is_required(),
                choices=choices,
                picks=Pick.CHOICE if kind in (Kind.CHOICE, Kind.BOOL) else PICKS.get(key),
            )
        )
    return columns


def _link(key: str, picks: Pick) -> Column:
    return Column(key, Kind.TEXT, KEY_WIDTHS[key], required=True, picks=picks)


def _activity_columns() -> tuple[Column, ...]:
    columns = model_columns(Activity, skip=("indicators",))
    columns.insert(1, _link("objective", Pick.OBJECTIVES))
    return tuple(columns)


COUNTRIES = Table(
    Role.COUNTRIES,
    (
        Column("code", Kind.TEXT, 10, required=True, picks=Pick.COUNTRIES),
        Column("name", Kind.TEXT, 36, derived=True),
    ),
)
ACTORS = Table(Role.ACTORS, tuple(model_columns(Actor)), Actor)
ACTION_POINTS = Table(Role.ACTION_POINTS, tuple(model_columns(ActionPoint)), ActionPoint)
OBJECTIVES = Table(
    Role.OBJECTIVES,
    (
        *model_columns(Objective, skip=("activities",)),
        Column("action_point_title", Kind.TEXT, 40, derived=True),
    ),
    Objective,
)
ACTIVITIES = Table(Role.ACTIVITIES, _activity_columns(), Activity, parent="objective")
INDICATORS = Table(
    Role.INDICATORS,
    (_link("activity", Pick.ACTIVITIES), *model_columns(Indicator)),
    Indicator,
    parent="activity",
)
TABLES = (COUNTRIES, ACTORS, ACTION_POINTS, OBJECTIVES, ACTIVITIES, INDICATORS)
"""In tab order, after the Instructions and Plan sheets."""
SHEETS = (Role.INSTRUCTIONS, Role.PLAN, *(table.role for table in TABLES), Role.LISTS)

ON_SHEETS = {"schema_version", "countries", "actors", "objectives"}
"""Plan fields kept elsewhere than in a setting row: in the metadata sheet or their own sheet."""


def _settings(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Setting]:
    """A row per field, the fields of the plan's parts (`reporting`, `iati`) flattened: a part
    that may be left out is left out when all its rows are empty."""
    settings = []
    for key, field in model.model_fields.items():
        path = (*prefix, key)
        if not prefix and key in ON_SHEETS:
            continue
        if path == FRAMEWORK:  # a built-in framework's name, or the plan's own framework's id
            settings += [
                Setting(path, Kind.TEXT, False, picks=Pick.FRAMEWORKS),
                Setting(FRAMEWORK_TITLE, Kind.TEXT, False),
            ]
            continue
        base, _ = _strip(field.annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            settings += _settings(base, path)
            continue
        kind, choices = kind_of(field.annotation)
        picks = Pick.CHOICE if kind in (Kind.CHOICE, Kind.BOOL) else PICKS.get(key)
        settings.append(Setting(path, kind, field.is_required(), choices, picks))
    return settings


FRAMEWORK, FRAMEWORK_TITLE = ("framework",), ("framework", "title")
"""A plan's own framework is its id and title here and its action points on their own sheet."""
SETTINGS = tuple(_settings(Plan))
"""The Plan sheet's rows, in the models' order."""
