"""Plan -> the implementation matrix workbook a country office fills in.

Written with xlsxwriter: the fastest writer, Excel-native files with shared strings. Every format is
created once per workbook, never per cell. Plan text always goes through `write_string`, so a title
that starts with '=' stays text and never becomes a formula. Positions come from `layout`; the hidden
`_matrix` sheet, which read-back trusts instead of file or sheet names, from `metadata`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from matrix import __version__
from matrix.countries import country_name
from matrix.excel import layout
from matrix.excel.layout import Column, Kind, PlanRow
from matrix.excel.metadata import Metadata, matrix_role, metadata_rows, signed_content
from matrix.i18n import RIGHT_TO_LEFT, status_label, t
from matrix.models.plan import ActionPoint, Plan, Status
from matrix.models.returns import ProgressRow, WorkbookIdentity
from matrix.periods import Period, due_date
from matrix.signing import sign

# Input cells are yellow and plan cells grey, so "fill in the yellow columns" is all anyone needs to know.
INPUT_FILL = "#FFF2CC"
LOCKED_FILL = "#F2F2F2"
HEADER_FILL = "#1F4E79"
BAND_FILL = "#D9E1F2"
BORDER_COLOUR = "#BFBFBF"
STATUS_COLOURS = {
    Status.NOT_STARTED: ("#EDEDED", "#404040"),
    Status.ON_TRACK: ("#C6EFCE", "#006100"),
    Status.DELAYED: ("#FFEB9C", "#7F6000"),
    Status.COMPLETED: ("#BDD7EE", "#1F3864"),
    Status.CANCELLED: ("#D9D9D9", "#595959"),
}
MONEY_KEYS = frozenset({"budget", "funds_secured"})
DATE_FORMAT = "yyyy-mm-dd"  # unambiguous in every language the workbook may be in
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)
FORBIDDEN_IN_SHEET_NAMES = str.maketrans("", "", "[]:*?/\\")
PROTECTION = {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True}
"""Sheet protection stops accidents, not people: no password, and filtering and resizing stay allowed."""


@dataclass(frozen=True)
class MatrixSheet:
    office: str
    """Country code, or the region code for the region-wide sheet."""
    name: str
    label: str
    """Who the sheet is for, as people say it: 'Sudan (SDN)'."""
    rows: list[PlanRow]


def write_workbook(
    plan: Plan,
    office: str,
    period: Period,
    lang: str,
    path: Path,
    *,
    regional: bool = False,
    prefill: Mapping[tuple[str, str], ProgressRow] | None = None,
    generated_at: datetime | None = None,
    key: bytes | None = None,
) -> None:
    """Write the national matrix of `office` (ISO3), or with `regional` the workbook of the region
    `office` (a sheet per plan country plus the region-wide rows). `prefill`, keyed by (country or
    region code, ref), fills the office's input cells, e.g. with last period's return. `key`, the
    project key, signs the hidden record."""
    _WorkbookWriter(plan, office, period, lang, regional, prefill or {}, generated_at, key).write(Path(path))


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\, no edge quotes.

    A long name loses what follows its first comma ('Tanzania, United Republic of' -> 'Tanzania').
    """
    if len(text) > 31:
        text = re.split("[,،]", text, maxsplit=1)[0]
    base = text.translate(FORBIDDEN_IN_SHEET_NAMES).strip().strip("'").strip()[:31] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


LINE_HEIGHT = 15  # points, for the default 11-point font
INSTRUCTIONS_WIDTH = 100


def _row_height(cells: list[tuple[str, float]]) -> float | None:
    """An explicit height for a row of wrapped text, or None when one line fits.

    LibreOffice does not grow rows to fit wrapped text on opening a file that gives no height,
    so long activity titles and instructions would overlap; a column width is roughly the
    number of characters that fit on a line.
    """
    lines = max((sum(math.ceil(max(len(part), 1) / max(width - 1, 1)) for part in text.split("\n"))
                 for text, width in cells if text), default=1)
    return min(lines * LINE_HEIGHT, 409) if lines > 1 else None


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _range(sheet: str, col: int, first: int, last: int) -> str:
    letter = layout.column_letter(col)
    return f"={_quoted(sheet)}!${letter}${first + 1}:${letter}${last + 1}"


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive 0-based row numbers as (first, last) runs, for compact validation ranges."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class _WorkbookWriter:
    def __init__(self, plan: Plan, office: str, period: Period, lang: str, regional: bool,
                 prefill: Mapping[tuple[str, str], ProgressRow], generated_at: datetime | None,
                 key: bytes | None):
        self.plan, self.office, self.period, self.lang = plan, office, period, lang
        self.regional, self.prefill, self.key = regional, prefill, key
        self.generated_at = (generated_at or datetime.now(UTC)).replace(microsecond=0)
        self.columns = layout.matrix_columns(plan)
        self.col = {c.key: i for i, c in enumerate(self.columns)}
        self.framework = plan.resolved_framework
        self.status_labels = [status_label(s, lang) for s in Status]
        self.action_points = sorted(self.framework.action_points, key=lambda ap: ap.number)
        self.objective_ap = {o.id: self.framework.action_point(o.action_point) for o in plan.objectives}
        self.fingerprints: dict[tuple[str, str], str] = {}
        self.plan_hash = plan.content_hash()
        # In right-to-left text '2026-Q3' would show as 'Q3-2026'; left-to-right marks keep it whole.
        self.period_text = f"\u200e{period.id}\u200e" if lang in RIGHT_TO_LEFT else period.id

        taken = {layout.META_SHEET.casefold()}
        self.names = {
            role: sheet_name(t(lang, f"sheet.{role}"), taken)
            for role in ("instructions", "new_activities", "actors", "lists")
        }
        self.sheets = self._matrix_sheets(taken)

    def _matrix_sheets(self, taken: set[str]) -> list[MatrixSheet]:
        plan, lang = self.plan, self.lang
        if not self.regional:
            label = f"{country_name(self.office, lang)} ({self.office})"
            return [MatrixSheet(self.office, sheet_name(t(lang, "sheet.matrix"), taken), label,
                                layout.plan_rows(plan, self.office))]
        sheets = [
            MatrixSheet(code, sheet_name(country_name(code, lang), taken), f"{country_name(code, lang)} ({code})",
                        layout.plan_rows(plan, code))
            for code in plan.countries
        ]
        region = plan.region
        label = f"{region.name} ({region.code})" if region else self.office
        sheets.append(MatrixSheet(self.office, sheet_name(t(lang, "sheet.regional"), taken), label,
                                  layout.plan_rows(plan, None)))
        return sheets

    # -- workbook ---------------------------------------------------------------------------------

    def write(self, path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "in_memory": True,  # no temporary file per sheet: faster, and nothing left behind
        })
        wb.set_properties({"title": self.plan.title, "subject": self.office, "comments": f"matrix {__version__}"})
        self.formats = self._formats(wb)
        # Sheet order is tab order: instructions first, then what the office fills in.
        instructions = wb.add_worksheet(self.names["instructions"])
        matrix_ws = [wb.add_worksheet(s.name) for s in self.sheets]
        new, actors, lists = (wb.add_worksheet(self.names[role]) for role in ("new_activities", "actors", "lists"))
        meta = wb.add_worksheet(layout.META_SHEET)
        if self.lang in RIGHT_TO_LEFT:
            for ws in wb.worksheets():
                ws.right_to_left()

        self._instructions(instructions)
        for ws, sheet in zip(matrix_ws, self.sheets, strict=True):
            self._matrix(ws, sheet)
        self._new_activities(new)
        self._actors(actors)
        self._lists(lists)
        self._metadata(meta)
        try:
            wb.close()
        except FileCreateError as exc:  # xlsxwriter wraps the OSError; callers handle OSError
            raise OSError(str(exc.__context__ or exc)) from exc

    def _formats(self, wb: xlsxwriter.Workbook) -> dict:
        border = {"border": 1, "border_color": BORDER_COLOUR, "valign": "top", "text_wrap": True}
        locked = {**border, "bg_color": LOCKED_FILL, "locked": True}
        unlocked = {**border, "bg_color": INPUT_FILL, "locked": False}
        numbers = {Kind.NUMBER: "General", Kind.DATE: DATE_FORMAT, Kind.PERCENT: "0%"}
        f = {
            "title": wb.add_format({"bold": True, "font_size": 14, "font_color": HEADER_FILL}),
            "subtitle": wb.add_format({"italic": True, "font_color": "#595959"}),
            "header": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL,
                                     "text_wrap": True, "valign": "vcenter", "border": 1,
                                     "border_color": BORDER_COLOUR}),
            "band": wb.add_format({"bold": True, "bg_color": BAND_FILL, "border": 1, "border_color": BORDER_COLOUR}),
            "label": wb.add_format({"bold": True, "valign": "top"}),
            "text": wb.add_format({"text_wrap": True, "valign": "top"}),
            "date": wb.add_format({"num_format": DATE_FORMAT, "valign": "top", "align": "left"}),
            "warning": wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "font_color": "#9C0006"}),
            "small": wb.add_format({"italic": True, "font_size": 9, "font_color": "#7F7F7F", "text_wrap": True}),
        }
        for lock_name, base in (("locked", locked), ("input", unlocked)):
            for kind in Kind:
                f[lock_name, kind] = wb.add_format({**base, "num_format": numbers.get(kind, "General")})
            f[lock_name, "money"] = wb.add_format({**base, "num_format": "#,##0"})
        for status, (fill, font) in STATUS_COLOURS.items():
            f[status] = wb.add_format({"bg_color": fill, "font_color": font})
            f["legend", status] = wb.add_format({"bg_color": fill, "font_color": font, "bold": True, "valign": "top"})
        return f

    def _cell_format(self, column: Column):
        kind = "money" if column.key in MONEY_KEYS else column.kind
        return self.formats["locked" if column.locked else "input", kind]

    def _sheet_basics(self, ws: Worksheet, columns: tuple[Column, ...], title: str, subtitle: str) -> None:
        f = self.formats
        for i, column in enumerate(columns):
            ws.set_column(i, i, column.width)
        ws.write_string(layout.TITLE_ROW - 1, 0, title, f["title"])
        ws.write_string(layout.SUBTITLE_ROW - 1, 0, subtitle, f["subtitle"])
        ws.set_row(layout.HEADER_ROW - 1, 32)
        for i, column in enumerate(columns):
            ws.write_string(layout.HEADER_ROW - 1, i, t(self.lang, column.header_key), f["header"])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(layout.HEADER_ROW - 1)
        ws.set_footer("&L&A&R&P / &N")
        ws.protect("", PROTECTION)

    def _error(self, what: str) -> dict:
        return {"error_title": t(self.lang, f"validation.{what}.title")[:32],
                "error_message": t(self.lang, f"validation.{what}.message")[:255]}

    def _status_validation(self, ws: Worksheet, col: int, first: int, last: int) -> None:
        ws.data_validation(first, col, last, col, {
            "validate": "list", "source": _range(self.names["lists"], 0, 0, len(Status) - 1), **self._error("status"),
        })
        for status, label in zip(Status, self.status_labels, strict=True):
            ws.conditional_format(first, col, last, col, {
                "type": "cell", "criteria": "==", "value": '"' + label.replace('"', '""') + '"',
                "format": self.formats[status],
            })

    def _number_validation(self, ws: Worksheet, col: int, first: int, last: int, **extra: str) -> None:
        ws.data_validation(first, col, last, col, {
            "validate": "decimal", "criteria": ">=", "value": 0, **self._error("number"), **extra,
        })

    def _date_validation(self, ws: Worksheet, col: int, first: int, last: int) -> None:
        ws.data_validation(first, col, last, col, {
            "validate": "date", "criteria": "between", "minimum": FIRST_DATE, "maximum": LAST_DATE,
            **self._error("date"),
        })

    # -- sheets -----------------------------------------------------------------------------------

    def _office_label(self) -> str:
        return self.sheets[-1].label if self.regional else self.sheets[0].label

    def _subtitle(self, label: str) -> str:
        return t(self.lang, "matrix.subtitle", office=label, period=self.period_text, start=self.period.start,
                 end=self.period.end, due=due_date(self.plan.reporting, self.period))

    def _instructions(self, ws: Worksheet) -> None:
        f, lang, plan = self.formats, self.lang, self.plan
        due = due_date(plan.reporting, self.period)
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, INSTRUCTIONS_WIDTH)

        def text(row: int, value: str, fmt=f["text"]) -> None:
            ws.write_string(row, 1, value, fmt)
            if height := _row_height([(value, INSTRUCTIONS_WIDTH)]):
                ws.set_row(row, height)

        ws.write_string(0, 0, t(lang, "instructions.title"), f["title"])
        facts: list[tuple[str, str | date]] = [
            ("plan", plan.title),
            ("office", self._office_label()),
            ("period", t(lang, "instructions.period_value", period=self.period_text, start=self.period.start,
                         end=self.period.end)),
            ("due", due),
        ]
        if plan.reporting.send_to:
            facts.append(("send_to", plan.reporting.send_to))
        row = 2
        for key, value in facts:
            ws.write_string(row, 0, t(lang, f"instructions.{key}"), f["label"])
            if isinstance(value, date):
                ws.write_datetime(row, 1, value, f["date"])
            else:
                text(row, value)
            row += 1
        text(row + 1, t(lang, "instructions.about", office=self._office_label()))
        row += 3
        ws.write_string(row, 0, t(lang, "instructions.how"), f["label"])
        steps = [t(lang, "instructions.step.sheets", sheets=", ".join(s.name for s in self.sheets)),
                 t(lang, "instructions.step.status"), t(lang, "instructions.step.actual")]
        if plan.has_budgets:
            steps.append(t(lang, "instructions.step.funds", currency=plan.currency))
        steps += [t(lang, "instructions.step.comments"), t(lang, "instructions.step.next"),
                  t(lang, "instructions.step.new", sheet=self.names["new_activities"])]
        for number, step in enumerate(steps, 1):
            row += 1
            ws.write_string(row, 0, f"{number}.", f["label"])
            text(row, step)
        row += 2
        ws.write_string(row, 0, t(lang, "instructions.statuses"), f["label"])
        for status, label in zip(Status, self.status_labels, strict=True):
            row += 1
            ws.write_string(row, 0, label, f["legend", status])
            text(row, t(lang, f"status.{status.value}.help"))
        row += 2
        send = (t(lang, "instructions.send", send_to=plan.reporting.send_to, due=due) if plan.reporting.send_to
                else t(lang, "instructions.send_unknown", due=due))
        text(row, send)
        text(row + 1, t(lang, "instructions.warning"), f["warning"])
        ws.write_string(row + 3, 1, t(lang, "instructions.generated", version=__version__,
                                       date=self.generated_at.date(), hash=self.plan_hash[:12]), f["small"])
        ws.fit_to_pages(1, 0)
        ws.protect("", PROTECTION)

    def _groups(self, rows: list[PlanRow]) -> list[tuple[ActionPoint | None, list[PlanRow]]]:
        """Rows under their action point, in action point order, plan order within each."""
        def number(row: PlanRow) -> int:
            ap = self.objective_ap[row.objective.id]
            return ap.number if ap else 0

        return [(self.objective_ap[group[0].objective.id], group)
                for group in (list(g) for _, g in groupby(sorted(rows, key=number), key=number))]

    def _ap_label(self, ap: ActionPoint | None, fallback: str | int) -> str:
        if ap is None:
            return str(fallback)
        return layout.localised_action_point_label(self.framework, ap, self.lang)

    def _matrix(self, ws: Worksheet, sheet: MatrixSheet) -> None:
        f, col, columns = self.formats, self.col, self.columns
        role = matrix_role(sheet.office)
        self._sheet_basics(ws, columns, self.plan.title, self._subtitle(sheet.label))
        actual_col, target_col, percent_col = col["actual"], col["target"], col["percent"]
        actual_letter, target_letter = layout.column_letter(actual_col), layout.column_letter(target_col)
        cells = [(i, c.key, c.locked, c.kind is Kind.DATE, self._cell_format(c))
                 for i, c in enumerate(columns) if i != percent_col]
        widths = {c.key: c.width for c in columns}
        cumulative_rows: list[int] = []
        period_rows: list[int] = []
        r = layout.FIRST_DATA_ROW - 1
        for ap, group in self._groups(sheet.rows):
            label = self._ap_label(ap, group[0].objective.action_point)
            for i in range(len(columns)):
                ws.write_blank(r, i, None, f["band"])
            ws.write_string(r, col["action_point"], label, f["band"])
            r += 1
            for plan_row in group:
                values = {k: v for k, v in layout.plan_cell_values(self.plan, plan_row, self.lang, label).items()
                          if k in col}
                self.fingerprints[role, plan_row.ref] = layout.fingerprint(values)
                given = self.prefill.get((sheet.office, plan_row.ref))
                inputs = self._input_values(given)
                for i, key, locked, is_date, fmt in cells:
                    value = values[key] if locked else inputs.get(key)
                    if value is None or value == "":
                        ws.write_blank(r, i, None, fmt)
                    elif is_date:
                        ws.write_datetime(r, i, value, fmt)
                    elif isinstance(value, str):
                        ws.write_string(r, i, value, fmt)
                    else:
                        ws.write_number(r, i, value, fmt)
                height = _row_height([(v, widths[k]) for k, v in (*values.items(), *inputs.items())
                                      if isinstance(v, str) and k in widths])
                if height:
                    ws.set_row(r, height)
                target = values["target"]
                if target:
                    actual = inputs.get("actual")
                    excel_row = r + 1
                    a, tg = f"{actual_letter}{excel_row}", f"{target_letter}{excel_row}"
                    ws.write_formula(r, percent_col, f'=IF(OR({a}="",N({tg})=0),"",IFERROR({a}/{tg},""))',
                                     f["locked", Kind.PERCENT], actual / target if actual is not None else "")
                else:
                    ws.write_blank(r, percent_col, None, f["locked", Kind.PERCENT])
                indicator = plan_row.indicator
                (period_rows if indicator and not indicator.cumulative else cumulative_rows).append(r)
                r += 1
        last = r - 1
        first = layout.FIRST_DATA_ROW - 1
        ws.freeze_panes(layout.HEADER_ROW, 1)
        ws.autofilter(layout.HEADER_ROW - 1, 0, max(last, layout.HEADER_ROW - 1), len(columns) - 1)
        if last < first:
            return
        self._status_validation(ws, col["status"], first, last)
        for rows, key in ((cumulative_rows, "cumulative"), (period_rows, "period")):
            if rows:
                ranges = " ".join(
                    f"{actual_letter}{a + 1}" if a == b else f"{actual_letter}{a + 1}:{actual_letter}{b + 1}"
                    for a, b in _runs(rows)
                )
                self._number_validation(ws, actual_col, rows[0], rows[-1], multi_range=ranges,
                                        input_title=t(self.lang, "column.actual")[:32],
                                        input_message=t(self.lang, f"validation.actual.{key}")[:255])
        if "funds_secured" in col:
            self._number_validation(ws, col["funds_secured"], first, last)

    def _input_values(self, given: ProgressRow | None) -> dict[str, object]:
        if given is None:
            return {}
        return {
            "status": status_label(given.status, self.lang) if given.status else None,
            "actual": given.actual,
            "funds_secured": given.funds_secured,
            "comments": given.comments,
            "next_steps": given.next_steps,
            "support_needed": given.support_needed,
        }

    def _new_activities(self, ws: Worksheet) -> None:
        columns = layout.NEW_ACTIVITY_COLUMNS
        lang = self.lang
        self._sheet_basics(ws, columns, t(lang, "new_activities.title"), t(lang, "new_activities.subtitle"))
        first = layout.FIRST_DATA_ROW - 1
        last = first + layout.NEW_ACTIVITY_ROWS - 1
        for i, column in enumerate(columns):
            fmt = self._cell_format(column)
            for r in range(first, last + 1):
                ws.write_blank(r, i, None, fmt)
            if column.kind is Kind.ACTION_POINT:
                ws.data_validation(first, i, last, i, {
                    "validate": "list", "source": _range(self.names["lists"], 1, 0, len(self.action_points) - 1),
                    **self._error("action_point"),
                })
            elif column.kind is Kind.ACTOR:
                ws.data_validation(first, i, last, i, {
                    "validate": "list", "source": _range(self.names["lists"], 2, 0, len(self.plan.actors) - 1),
                    "error_type": "information", **self._error("lead"),
                })
            elif column.kind is Kind.STATUS:
                self._status_validation(ws, i, first, last)
            elif column.kind is Kind.NUMBER:
                self._number_validation(ws, i, first, last)
            elif column.kind is Kind.DATE:
                self._date_validation(ws, i, first, last)
        ws.freeze_panes(layout.HEADER_ROW, 1)

    def _actors(self, ws: Worksheet) -> None:
        lang, fmt = self.lang, self.formats["locked", Kind.TEXT]
        self._sheet_basics(ws, layout.ACTOR_COLUMNS, t(lang, "actors.title"), self.plan.title)
        for r, actor in enumerate(self.plan.actors, layout.FIRST_DATA_ROW - 1):
            ws.write_string(r, 0, actor.id, fmt)
            ws.write_string(r, 1, actor.name, fmt)
            ws.write_string(r, 2, t(lang, f"actor_type.{actor.type.value}"), fmt)
        ws.freeze_panes(layout.HEADER_ROW, 1)

    def _lists(self, ws: Worksheet) -> None:
        """Drop-down sources: A statuses, B action points, C actor ids. Hidden, not secret."""
        for r, label in enumerate(self.status_labels):
            ws.write_string(r, 0, label)
        for r, ap in enumerate(self.action_points):
            ws.write_string(r, 1, self._ap_label(ap, ap.id))
        for r, actor in enumerate(self.plan.actors):
            ws.write_string(r, 2, actor.id)
        ws.protect("", PROTECTION)
        ws.hide()

    def _metadata(self, ws: Worksheet) -> None:
        identity = WorkbookIdentity(
            template_schema=layout.TEMPLATE_SCHEMA, tool_version=__version__, plan_id=self.plan.id,
            plan_hash=self.plan_hash, office=self.office, regional=self.regional,
            period=self.period.id, lang=self.lang, generated_at=self.generated_at,
        )
        roles = {"instructions": self.names["instructions"]}
        roles.update({matrix_role(s.office): s.name for s in self.sheets})
        roles.update({role: self.names[role] for role in ("new_activities", "actors", "lists")})
        meta = Metadata(identity, roles, self.fingerprints)
        if self.key is not None:
            meta.signature = sign(self.key, signed_content(meta))
        rows = metadata_rows(meta)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        ws.protect("", PROTECTION)
        ws.very_hidden()
