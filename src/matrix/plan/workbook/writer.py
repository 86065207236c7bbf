"""Plan -> the workbook a coordinator edits in Excel or LibreOffice (xlsxwriter).

Nothing is locked: it is the coordinator's own document, so rows can be added, deleted and
sorted. Drop-downs come from the hidden Lists sheet or from another sheet's id column, so an actor
added on the Actors sheet is offered as a lead at once. Text always goes through `write_string`:
a title starting with '=' stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pycountry
import xlsxwriter
from pydantic import BaseModel
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from matrix._version import __version__
from matrix.countries import country_name
from matrix.errors import MatrixError
from matrix.excel.addresses import quoted, sheet_name
from matrix.excel.layout import MAX_ROWS
from matrix.excel.writer import close_workbook
from matrix.excel.writer.formats import BORDER_COLOUR, DATE_FORMAT, LOCKED_FILL, make_formats
from matrix.excel.writer.frame import row_height, write_value
from matrix.frameworks import builtin_names
from matrix.i18n import RIGHT_TO_LEFT, Phrase, phrase, t
from matrix.models.plan import Framework, Indicator, Plan
from matrix.plan.index import resolve_framework
from matrix.plan.workbook import layout
from matrix.plan.workbook.cells import MAX_CELL_TEXT, cell_value, choice_label, word
from matrix.plan.workbook.layout import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    HINT_ROW,
    SETTING_COLUMNS,
    SPARE_ROWS,
    TITLE_ROW,
    Column,
    Kind,
    Pick,
    Role,
    Setting,
    Table,
)

GREY_FONT = "#595959"
"""Keys and looked-up names: there to read, not to edit."""
INSTRUCTIONS_WIDTH = 100


def write_plan_workbook(plan: Plan, out: Path | IO[bytes], lang: str = "en") -> None:
    """The plan as a workbook in `lang`. MatrixError when a value cannot be held by a cell."""
    wb = xlsxwriter.Workbook(
        out,
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": True,
        },
    )
    wb.set_properties({"title": plan.title, "comments": f"matrix {__version__}"})
    book = _Book(plan, lang, wb)
    sheets = {role: wb.add_worksheet(book.names[role]) for role in layout.SHEETS}
    meta = wb.add_worksheet(layout.META_SHEET)
    if lang in RIGHT_TO_LEFT:
        for ws in wb.worksheets():
            ws.right_to_left()
    _write_lists(sheets[Role.LISTS], book)
    _write_settings(sheets[Role.PLAN], book)
    for table in layout.TABLES:
        _write_table(sheets[table.role], book, table)
    _write_instructions(sheets[Role.INSTRUCTIONS], book)
    for r, (key, value) in enumerate(book.metadata()):
        meta.write_string(r, 0, key)
        meta.write_string(r, 1, value)
    meta.very_hidden()
    close_workbook(wb)


@dataclass
class _ListColumn:
    column: int
    size: int


@dataclass
class _Book:
    """One workbook being written: the plan's rows per table, sheet names, formats, lists."""

    plan: Plan
    lang: str
    wb: Workbook
    rows: dict[Role, list[dict[str, Any]]] = field(init=False)
    names: dict[Role, str] = field(init=False)
    lists: dict[str, _ListColumn] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = table_rows(self.plan)
        taken = {layout.META_SHEET.casefold()}
        self.names = {
            role: sheet_name(t(self.lang, f"plan_workbook.sheet.{role}"), taken)
            for role in layout.SHEETS
        }
        shared = make_formats(self.wb)  # the matrices' title, header and heading styles
        self.title, self.hint, self.header = shared.title, shared.subtitle, shared.header
        self.heading, self.label, self.body = shared.band, shared.label, shared.text
        add = self.wb.add_format
        cell = {"valign": "top", "border": 1, "border_color": BORDER_COLOUR}
        grey = {**cell, "bg_color": LOCKED_FILL, "font_color": GREY_FONT}
        self.text = add({**cell, "text_wrap": True})
        self.number = add({**cell, "num_format": "General"})
        self.date = add({**cell, "num_format": DATE_FORMAT, "align": "left"})
        self.key = add(grey)
        self.derived = add({**grey, "italic": True, "text_wrap": True})

    def cell_format(self, kind: Kind) -> Any:
        return {Kind.NUMBER: self.number, Kind.INTEGER: self.number, Kind.DATE: self.date}.get(
            kind, self.text
        )

    def action_points(self) -> list[tuple[str, int, str]]:
        """(id, number, title) of the plan's framework, titles in the workbook's language."""
        from matrix.i18n import action_point_title

        try:
            framework = resolve_framework(self.plan)
        except MatrixError:  # an unknown framework name: `plan check` says so
            return []
        return [
            (ap.id, ap.number, action_point_title(framework.id, ap.id, ap.title, self.lang))
            for ap in framework.action_points
        ]

    def last_row(self, role: Role) -> int:
        """0-based last row drop-downs and formulas reach on a table sheet."""
        return FIRST_DATA_ROW - 1 + len(self.rows.get(role, [])) + SPARE_ROWS

    def metadata(self) -> list[tuple[str, str]]:
        rows = [
            ("format", str(layout.FORMAT)),
            ("schema_version", str(self.plan.schema_version)),
            ("lang", self.lang),
            ("tool_version", __version__),
        ]
        return rows + [(f"sheet.{role}", name) for role, name in self.names.items()]


# --- the plan's items as rows ------------------------------------------------------------------


def table_rows(plan: Plan) -> dict[Role, list[dict[str, Any]]]:
    """Every table sheet's rows: field -> value, in plan order."""
    rows: dict[Role, list[dict[str, Any]]] = {table.role: [] for table in layout.TABLES}
    rows[Role.COUNTRIES] = [{"code": code} for code in plan.countries]
    rows[Role.ACTORS] = [_fields(actor) for actor in plan.actors]
    if isinstance(plan.framework, Framework):
        rows[Role.ACTION_POINTS] = [_fields(ap) for ap in plan.framework.action_points]
    for objective in plan.objectives:
        rows[Role.OBJECTIVES].append(_fields(objective))
        for activity in objective.activities:
            rows[Role.ACTIVITIES].append({"objective": objective.id, **_fields(activity)})
            for indicator in activity.indicators:
                rows[Role.INDICATORS].append({"activity": activity.id, **_fields(indicator)})
    return rows


def _fields(item: BaseModel) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in type(item).model_fields}
    if (
        isinstance(item, Indicator)
        and item.periods is not None
        and "cumulative" not in item.model_fields_set
    ):
        values["cumulative"] = None  # `periods:` says it; a written default would contradict it
    return values


# --- sheets --------------------------------------------------------------------------------------


def _write_lists(ws: Worksheet, book: _Book) -> None:
    """The drop-downs' choices, a column each; action points as id, number, title (the
    Objectives sheet looks titles up by id or number)."""
    lists: dict[str, list[Any]] = {}
    for column in _all_columns():
        if column.kind is Kind.BOOL:
            lists["bool"] = [word(book.lang, "yes"), word(book.lang, "no")]
        elif column.choices is not None:
            lists[column.choices.__name__] = [choice_label(c, book.lang) for c in column.choices]
    codes = sorted(c.alpha_3 for c in pycountry.countries)
    aps = book.action_points()
    lists.update(
        {
            Pick.FRAMEWORKS: builtin_names(),
            Pick.CURRENCIES: _currencies(),
            Pick.COUNTRIES: codes,
            "country_names": [country_name(code, book.lang) for code in codes],
            Pick.ACTION_POINTS: [ap_id for ap_id, _, _ in aps],
            "action_point_numbers": [number for _, number, _ in aps],
            "action_point_titles": [title for _, _, title in aps],
        }
    )
    for c, (name, values) in enumerate(lists.items()):
        book.lists[name] = _ListColumn(c, len(values))
        for r, value in enumerate(values):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    ws.hide()


def _currencies() -> list[str]:
    return sorted(c.alpha_3 for c in pycountry.currencies)


def _all_columns() -> list[Column | Setting]:
    return [*layout.SETTINGS, *(c for table in layout.TABLES for c in table.columns)]


def _write_settings(ws: Worksheet, book: _Book) -> None:
    lang = book.lang
    ws.write_string(TITLE_ROW - 1, 0, t(lang, "plan_workbook.title.plan"), book.title)
    ws.write_string(HINT_ROW - 1, 0, t(lang, "plan_workbook.hint.plan"), book.hint)
    labels = [t(lang, f"plan_workbook.column.plan.{key}") for key, _ in SETTING_COLUMNS]
    for c, (text, (_, width)) in enumerate(zip(labels, SETTING_COLUMNS, strict=True)):
        ws.set_column(c, c, width)
        ws.write_string(HEADER_ROW - 1, c, text, book.header)
    values = _setting_values(book.plan)
    r, group = FIRST_DATA_ROW - 1, ""
    for setting in sorted(layout.SETTINGS, key=_in_part):
        if (
            len(setting.path) > 1
            and setting.path[0] != group
            and setting.path != layout.FRAMEWORK_TITLE
        ):
            group = setting.path[
                0
            ]  # a heading above the settings of each part: Region, Reporting...
            heading = layout.label(lang, f"plan_workbook.setting.{group}", group)
            for c in range(len(SETTING_COLUMNS)):
                ws.write_blank(r, c, None, book.heading)
            ws.write_string(r, 1, heading, book.heading)
            r += 1
        ws.write_string(r, 0, setting.key, book.key)
        ws.write_string(r, 1, setting.label(lang), book.text)
        value = _cell(values.get(setting.path), setting.kind, lang, f"{setting.key}")
        write_value(ws, r, 2, value, book.cell_format(setting.kind))
        ws.write_string(r, 3, setting.help(lang), book.derived)
        if setting.picks is not None:
            _drop_down(ws, book, setting, setting.picks, r, r, 2)
        if height := row_height(
            [
                (setting.help(lang), SETTING_COLUMNS[3][1]),
                (value if isinstance(value, str) else "", SETTING_COLUMNS[2][1]),
            ]
        ):
            ws.set_row(r, height)
        r += 1
    ws.freeze_panes(HEADER_ROW, 2)
    _print_setup(ws)


def _in_part(setting: Setting) -> bool:
    """The plan's own settings first, then each part's (region, reporting...) under a heading."""
    return len(setting.path) > 1 and setting.path != layout.FRAMEWORK_TITLE


def _setting_values(plan: Plan) -> dict[tuple[str, ...], Any]:
    """Every setting's value by path; a plan's own framework gives its id and title."""
    values: dict[tuple[str, ...], Any] = {}

    def walk(item: BaseModel | None, prefix: tuple[str, ...]) -> None:
        if item is None:
            return
        for name in type(item).model_fields:
            value = getattr(item, name)
            if isinstance(value, BaseModel) and not isinstance(value, Framework):
                walk(value, (*prefix, name))
            else:
                values[(*prefix, name)] = value

    walk(plan, ())
    if isinstance(plan.framework, Framework):
        values[layout.FRAMEWORK] = plan.framework.id
        values[layout.FRAMEWORK_TITLE] = plan.framework.title
    return values


def _write_table(ws: Worksheet, book: _Book, table: Table) -> None:
    lang, role = book.lang, table.role
    rows = book.rows[role]
    if FIRST_DATA_ROW - 1 + len(rows) > MAX_ROWS:  # the reader's safety scan would refuse it
        raise MatrixError(
            "error.plan_workbook_rows",
            count=len(rows),
            sheet=phrase(f"plan_workbook.sheet.{role}"),
            limit=MAX_ROWS - FIRST_DATA_ROW + 1,
        )
    ws.write_string(TITLE_ROW - 1, 0, t(lang, f"plan_workbook.sheet.{role}"), book.title)
    ws.write_string(HINT_ROW - 1, 0, t(lang, f"plan_workbook.hint.{role}"), book.hint)
    ws.set_row(HEADER_ROW - 1, 32)
    for c, column in enumerate(table.columns):
        ws.set_column(c, c, column.width, book.derived if column.derived else None)
        ws.write_string(HEADER_ROW - 1, c, column.label(role, lang), book.header)
    none_word = _none_written(table)
    for i, values in enumerate(rows):
        r = FIRST_DATA_ROW - 1 + i
        texts = []
        for c, column in enumerate(table.columns):
            if column.derived:
                _write_derived(ws, book, table, column, r, c, values)
                continue
            where = phrase(
                "plan_workbook.where",
                sheet=phrase(f"plan_workbook.sheet.{role}"),
                row=r + 1,
                column=column.key,
            )
            value = _cell(
                values.get(column.key), column.kind, lang, where, empty_list=column.key in none_word
            )
            write_value(ws, r, c, value, book.cell_format(column.kind))
            if isinstance(value, str):
                texts.append((value, column.width))
        if height := row_height(texts):
            ws.set_row(r, height)
    first, last = FIRST_DATA_ROW - 1, book.last_row(role)
    for c, column in enumerate(table.columns):
        if column.picks is not None:
            _drop_down(ws, book, column, column.picks, first, last, c)
    ws.freeze_panes(HEADER_ROW, 1)
    ws.autofilter(HEADER_ROW - 1, 0, HEADER_ROW - 1 + max(len(rows), 1), len(table.columns) - 1)
    _print_setup(ws)


def _print_setup(ws: Worksheet) -> None:
    """Landscape A4, one page wide, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)


def _none_written(table: Table) -> set[str]:
    """LIST columns whose field defaults to None, where an empty list is written 'none' (an
    activity's countries: empty means every country of the plan, 'none' means none)."""
    if table.model is None:
        return set()
    fields = table.model.model_fields
    return {
        c.key
        for c in table.columns
        if c.kind is Kind.LIST and c.key in fields and fields[c.key].default is None
    }


def _cell(
    value: Any, kind: Kind, lang: str, where: Phrase | str, *, empty_list: bool = False
) -> Any:
    try:
        written = cell_value(value, kind, lang, empty_list=empty_list)
    except ValueError:
        raise MatrixError("error.plan_workbook_not_finite", where=where, value=str(value)) from None
    if isinstance(written, str) and len(written) > MAX_CELL_TEXT:
        raise MatrixError(
            "error.plan_workbook_too_long", where=where, length=len(written), limit=MAX_CELL_TEXT
        )
    return written


def _write_derived(
    ws: Worksheet, book: _Book, table: Table, column: Column, r: int, c: int, values: dict[str, Any]
) -> None:
    """A name or title looked up from the Lists sheet by the code or id beside it."""
    lists = quoted(book.names[Role.LISTS])
    key_cell = xl_rowcol_to_cell(r, c - 1)
    if column.key == "name":  # a country's name
        value = country_name(values["code"], book.lang)
        formula = f'=IFERROR({_lookup(lists, book, key_cell, Pick.COUNTRIES, "country_names")},"")'
    else:  # an objective's action point title
        ref = values.get("action_point")
        titles: dict[str | int, str] = {ap_id: title for ap_id, _, title in book.action_points()}
        titles.update({number: title for _, number, title in book.action_points()})
        value = titles.get(ref, "") if ref is not None else ""
        by_id = _lookup(lists, book, key_cell, Pick.ACTION_POINTS, "action_point_titles")
        by_number = _lookup(lists, book, key_cell, "action_point_numbers", "action_point_titles")
        formula = f'=IFERROR({by_id},IFERROR({by_number},""))'
    ws.write_formula(r, c, formula, book.derived, value)


def _lookup(lists: str, book: _Book, key_cell: str, keys: str, values: str) -> str:
    found, among = _range(lists, book.lists[values]), _range(lists, book.lists[keys])
    return f"INDEX({found},MATCH({key_cell},{among},0))"


def _range(sheet: str, column: _ListColumn) -> str:
    letter = xl_col_to_name(column.column)
    return f"{sheet}!${letter}$1:${letter}${max(column.size, 1)}"


def _drop_down(
    ws: Worksheet, book: _Book, column: Column | Setting, picks: Pick, first: int, last: int, c: int
) -> None:
    """Choices for rows `first`..`last` (0-based) of column `c`: its own choices refuse anything
    else; ids and codes warn, since a coordinator may add the actor or country afterwards."""
    strict = picks is Pick.CHOICE
    if strict:
        name = (
            "bool"
            if column.kind is Kind.BOOL or column.choices is None
            else column.choices.__name__
        )
        source = "=" + _range(quoted(book.names[Role.LISTS]), book.lists[name])
    elif picks in (Pick.ACTORS, Pick.OBJECTIVES, Pick.ACTIVITIES) or (
        picks is Pick.ACTION_POINTS and isinstance(book.plan.framework, Framework)
    ):
        role = Role(picks.value)
        letter = xl_col_to_name(
            0 if role is not Role.ACTION_POINTS else 1
        )  # ids; an action point's after its number
        first, last = FIRST_DATA_ROW, book.last_row(role) + 1
        source = f"={quoted(book.names[role])}!${letter}${first}:${letter}${last}"
    else:
        if not book.lists[picks].size:
            return
        source = "=" + _range(quoted(book.names[Role.LISTS]), book.lists[picks])
    ws.data_validation(
        first,
        c,
        last,
        c,
        {
            "validate": "list",
            "source": source,
            "error_type": "stop" if strict else "warning",
            "error_title": t(book.lang, "plan_workbook.validation.title")[:32],
            "error_message": t(
                book.lang,
                "plan_workbook.validation.strict" if strict else "plan_workbook.validation.known",
            )[:255],
        },
    )


def _write_instructions(ws: Worksheet, book: _Book) -> None:
    """What the workbook is, how to edit each sheet (every column explained), how to use it."""
    lang, plan = book.lang, book.plan
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, INSTRUCTIONS_WIDTH)

    def text(row: int, value: str, fmt: Any = book.body, column: int = 1) -> None:
        ws.write_string(row, column, value, fmt)
        if height := row_height([(value, INSTRUCTIONS_WIDTH if column else 30)]):
            ws.set_row(row, height)

    ws.write_string(0, 0, t(lang, "plan_workbook.instructions.title", plan=plan.title), book.title)
    row = 2
    for key in ("about", "edit", "ids", "lists", "dates", "use"):
        text(row, t(lang, f"plan_workbook.instructions.{key}", sheet=book.names[Role.PLAN]))
        row += 1
    for role in (Role.PLAN, *(table.role for table in layout.TABLES)):
        row += 1
        ws.write_string(row, 0, book.names[role], book.heading)
        text(row, t(lang, f"plan_workbook.hint.{role}"), book.heading)
        row += 1
        items = (
            [(s.label(lang), s.help(lang)) for s in layout.SETTINGS]
            if role is Role.PLAN
            else [(c.label(role, lang), c.help(role, lang)) for c in _table(role).columns]
        )
        for name, help_text in items:
            ws.write_string(row, 0, name, book.label)
            text(row, help_text)
            row += 1
    aps = book.action_points()
    if aps:
        row += 1
        ws.write_string(row, 0, t(lang, "plan_workbook.instructions.action_points"), book.heading)
        text(row, resolve_framework(book.plan).title, book.heading)
        for ap_id, number, title in aps:
            row += 1
            ws.write_string(row, 0, f"{ap_id} ({number})", book.label)
            text(row, title)
    ws.write_string(
        row + 2, 1, t(lang, "plan_workbook.instructions.generated", version=__version__), book.hint
    )


def _table(role: Role) -> Table:
    return next(table for table in layout.TABLES if table.role is role)
