"""Where everything sits in a generated workbook, declared once for the writer and the reader.

The reader finds columns by their header text (in any catalogue language), never by position, so
an office that reorders columns is still read correctly. Sheet names are translated; the hidden
metadata sheet records which name plays which role.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from matrix.i18n import localised_action_point_label
from matrix.models.plan import Plan, in_language
from matrix.plan.index import PlanRow, plan_index

TEMPLATE_SCHEMA = 1
"""Bump when the workbook layout changes in a way an older reader cannot follow."""

META_SHEET = "_matrix"
"""Very hidden; key/value rows, then one fingerprint row per plan row (see `fingerprint`)."""

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
"""Matrix rows from here on: per action point a heading row (ref cell empty, the action point's
`i18n.action_point_label` in the action point column), then that action point's plan rows."""
NEW_ACTIVITY_ROWS = 50
"""Blank, validated rows an office can use to report activities that are not in the plan."""
INITIATIVE_ROWS = 30
"""Numbered rows (I1, I2, ...) for the stock-take of initiatives outside the plan."""
GOOD_PRACTICE_ROWS = 10
GOOD_PRACTICE_ROW_HEIGHT = 150
"""Points: room for a paragraph in each part of a good practice."""
OVERVIEW_ROW_HEIGHT = 120

MAX_ROWS = 20_000
MAX_COLUMNS = 60
"""Anything beyond this in a returned sheet is refused before parsing (see matrix.excel.safety)."""


class SheetRole(StrEnum):
    """What a sheet is for. The hidden metadata maps each role key to the sheet's generated name
    (catalogue key `sheet.<role>`); a matrix sheet's key is `metadata.matrix_role(office)`."""

    INSTRUCTIONS = "instructions"
    MATRIX = "matrix"  # one per country in a regional workbook, plus REGIONAL
    REGIONAL = "regional"  # names the region-wide matrix sheet; its key is a matrix role too
    NEW_ACTIVITIES = "new_activities"
    INITIATIVES = "initiatives"
    GOOD_PRACTICES = "good_practices"
    OVERVIEW = "overview"
    GUIDE = "guide"
    ACTORS = "actors"
    LISTS = "lists"  # hidden: drop-down sources


NARRATIVE_SHEETS = (SheetRole.INITIATIVES, SheetRole.GOOD_PRACTICES, SheetRole.OVERVIEW)
"""Sheets an office writes text on, read back when the hidden record names them; matrices
generated before they existed have none of them and still validate."""


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    STATUS = "status"
    PERCENT = "percent"
    ACTION_POINT = "action_point"
    ACTOR = "actor"
    SUBJECT = "subject"
    """A plan activity or an initiative, which a good practice describes."""


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind
    width: float
    locked: bool
    needs_budget: bool = False
    max_length: int | None = None
    """Characters a text cell may hold: checked as the office types and when it is read back."""

    @property
    def header_key(self) -> str:
        return f"column.{self.key}"


MATRIX_COLUMNS: tuple[Column, ...] = (
    Column("ref", Kind.TEXT, 10, locked=True),
    Column("action_point", Kind.TEXT, 22, locked=True),
    Column("objective", Kind.TEXT, 30, locked=True),
    Column("activity", Kind.TEXT, 45, locked=True),
    Column("lead", Kind.TEXT, 12, locked=True),
    Column("partners", Kind.TEXT, 20, locked=True),
    Column("indicator", Kind.TEXT, 30, locked=True),
    Column("unit", Kind.TEXT, 11, locked=True),
    Column("baseline", Kind.NUMBER, 10, locked=True),
    Column("target", Kind.NUMBER, 10, locked=True),
    Column("start", Kind.DATE, 11, locked=True),
    Column("end", Kind.DATE, 11, locked=True),
    Column("budget", Kind.NUMBER, 12, locked=True, needs_budget=True),
    Column("status", Kind.STATUS, 16, locked=False),
    Column("actual", Kind.NUMBER, 12, locked=False),
    Column("percent", Kind.PERCENT, 10, locked=True),  # a formula; never trusted on read-back
    Column("funds_secured", Kind.NUMBER, 13, locked=False, needs_budget=True),
    Column("comments", Kind.TEXT, 40, locked=False),
    Column("next_steps", Kind.TEXT, 30, locked=False),
    Column("support_needed", Kind.TEXT, 30, locked=False),
)

NEW_ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("action_point", Kind.ACTION_POINT, 26, locked=False),
    Column("activity", Kind.TEXT, 45, locked=False),
    Column("lead", Kind.ACTOR, 16, locked=False),
    Column("partners", Kind.TEXT, 20, locked=False),
    Column("indicator", Kind.TEXT, 30, locked=False),
    Column("unit", Kind.TEXT, 11, locked=False),
    Column("target", Kind.NUMBER, 10, locked=False),
    Column("start", Kind.DATE, 11, locked=False),
    Column("end", Kind.DATE, 11, locked=False),
    Column("status", Kind.STATUS, 16, locked=False),
    Column("actual", Kind.NUMBER, 12, locked=False),
    Column("comments", Kind.TEXT, 40, locked=False),
)


ACTOR_COLUMNS: tuple[Column, ...] = (
    Column("actor_id", Kind.TEXT, 16, locked=True),
    Column("actor_name", Kind.TEXT, 60, locked=True),
    Column("actor_type", Kind.TEXT, 28, locked=True),
)


OVERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("heading", Kind.TEXT, 28, locked=True),
    Column("summary", Kind.TEXT, 90, locked=False),  # each heading's own limit, see matrix.overview
    Column("what_to_cover", Kind.TEXT, 36, locked=True),
    Column("characters", Kind.NUMBER, 11, locked=True),  # a formula; never read back
)

INITIATIVE_COLUMNS: tuple[Column, ...] = (
    Column("ref", Kind.TEXT, 7, locked=True),
    Column("initiative", Kind.TEXT, 45, locked=False, max_length=300),
    Column("action_point", Kind.ACTION_POINT, 26, locked=False),
    Column("actors", Kind.TEXT, 36, locked=False, max_length=500),
    Column("start", Kind.DATE, 11, locked=False),
    Column("end", Kind.DATE, 11, locked=False),
    Column("status", Kind.STATUS, 16, locked=False),
    Column("comments", Kind.TEXT, 40, locked=False, max_length=1000),
)

GOOD_PRACTICE_COLUMNS: tuple[Column, ...] = (
    Column("subject", Kind.SUBJECT, 26, locked=False),
    Column("practice", Kind.TEXT, 26, locked=False, max_length=200),
    Column("background", Kind.TEXT, 40, locked=False, max_length=1500),
    Column("practice_actors", Kind.TEXT, 26, locked=False, max_length=1000),
    Column("actions", Kind.TEXT, 45, locked=False, max_length=3000),
    Column("review", Kind.TEXT, 40, locked=False, max_length=1500),
    Column("further_information", Kind.TEXT, 32, locked=False, max_length=1500),
)
GOOD_PRACTICE_PARTS = ("background", "practice_actors", "actions", "review", "further_information")
"""The compendium's five parts, A to E; all but further information are required."""
LIST_PARTS = frozenset({"practice_actors", "actions", "further_information"})
"""Parts written one item per line."""

GUIDE_COLUMNS: tuple[Column, ...] = (
    Column("ref", Kind.TEXT, 12, locked=True),
    Column("activity", Kind.TEXT, 58, locked=True),
    Column("lead", Kind.TEXT, 14, locked=True),
    Column("partners", Kind.TEXT, 26, locked=True),
    Column("start", Kind.DATE, 11, locked=True),
    Column("end", Kind.DATE, 11, locked=True),
)
"""Each action point's activities; its suggestions span the same width."""


def initiative_ref(index: int) -> str:
    """'I1' for the first initiative row: the ref a good practice names it by."""
    return f"I{index + 1}"


def subject_label(ref: str, title: str | None = None) -> str:
    """A good practice's subject as the drop-down offers it: 'CAP-1: Joint training ...'."""
    if not title:
        return ref
    short = title if len(title) <= 70 else title[:69].rstrip() + "…"
    return f"{ref}: {short}"


def subject_ref(text: object) -> str:
    """The activity id or initiative ref a `subject_label` (or a bare id) starts with."""
    return str(text or "").split(":", 1)[0].strip()


@dataclass(frozen=True)
class DropDown:
    """A column kind whose cells pick from a list kept on the hidden Lists sheet."""

    list_column: int
    """0-based column of the Lists sheet that holds the choices."""
    message: str
    """What Excel says to an entry not in the list: catalogue
    `validation.<message>.title/.message`."""
    strict: bool = True
    """False: Excel warns but keeps other text (an office may name a lead the plan does not
    list)."""


DROP_DOWNS: dict[Kind, DropDown] = {
    Kind.STATUS: DropDown(0, "status"),
    Kind.ACTION_POINT: DropDown(1, "action_point"),
    Kind.ACTOR: DropDown(2, "lead", strict=False),
    Kind.SUBJECT: DropDown(3, "subject"),
}
"""The Lists sheet: A status labels in the workbook's language, B action point labels, C actor ids,
D what a good practice may describe (the office's plan activities, then the initiative refs)."""


def matrix_columns(plan: Plan) -> tuple[Column, ...]:
    """The matrix columns this plan shows: budget columns only when some activity has a budget."""
    budgets = plan.has_budgets  # a walk over every activity: once, not once per column
    return tuple(c for c in MATRIX_COLUMNS if budgets or not c.needs_budget)


LOCKED_KEYS = tuple(c.key for c in MATRIX_COLUMNS if c.locked and c.key != "percent")
"""The plan-defined cells whose fingerprints detect edits (percent is derived, so excluded)."""


def plan_cell_values(
    plan: Plan, row: PlanRow, lang: str, ap_label: str | None = None
) -> dict[str, object]:
    """The plan-defined cells of a matrix row exactly as the writer writes and fingerprints them,
    texts in `lang` where the plan translates them (every key; a sheet shows only its
    `matrix_columns`). `ap_label` saves the action point lookup."""
    activity, indicator = row.activity, row.indicator
    if ap_label is None:
        index = plan_index(plan)
        framework, ap = index.framework, index.objective_action_point[row.objective.id]
        ap_label = (
            localised_action_point_label(framework, ap, lang)
            if ap
            else str(row.objective.action_point)
        )
    unit = indicator.unit if indicator else None
    return {
        "ref": row.ref,
        "action_point": ap_label,
        "objective": in_language(row.objective.title, lang),
        "activity": in_language(activity.title, lang),
        "lead": activity.lead,
        "partners": ", ".join(activity.partners) or None,
        "indicator": in_language(indicator.name, lang) if indicator else None,
        "unit": in_language(unit, lang) if unit else None,
        "baseline": indicator.baseline if indicator else None,
        "target": indicator.target if indicator else None,
        "start": activity.start,
        "end": activity.end,
        "budget": activity.budget,
    }


def canonical(value: object) -> str:
    """One text form per value, whichever library read it: 120, 120.0 and '120' agree."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return format(float(value), ".15g")
    text = str(value).strip()
    try:
        return format(float(text), ".15g")
    except ValueError:
        return text


def cell_fingerprint(value: object) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:8]


def fingerprint(values: dict[str, object]) -> str:
    """'key=hash;key=hash...' over the locked cells of one row, so an edit names its cell."""
    return ";".join(
        f"{key}={cell_fingerprint(values.get(key))}" for key in LOCKED_KEYS if key in values
    )
