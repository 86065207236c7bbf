"""The New activities sheet -> activities an office is carrying out that the plan does not list:
a stock-take for the coordinator, read with the same value rules as the matrix."""

from __future__ import annotations

from matrix.codes import Code
from matrix.excel.layout import action_point_number
from matrix.i18n import t
from matrix.models.plan import Framework
from matrix.models.returns import ProposedActivity
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table
from matrix.validation.values import CellReader, is_blank

TITLE_KEY = "activity"


def read_new_activities(table: Table, framework: Framework, ctx: SheetContext) -> list[ProposedActivity]:
    sheet = table.sheet
    cells = CellReader(ctx.file, sheet.name, ctx.lang, ctx.date1904, ctx.issues)
    proposed = []
    for row in range(table.header_row + 1, len(sheet.rows) + 1):
        values = table.row_values(row)
        if all(is_blank(v) for v in values.values()):
            continue

        def value(key: str, values: dict[str, object] = values) -> object:
            return values.get(key, "")

        def cell(key: str, row: int = row) -> str:
            return table.cell(row, key) if key in table.columns else f"A{row}"

        where = {"file": ctx.file, "sheet": sheet.name}
        title = cells.text(value(TITLE_KEY), cell(TITLE_KEY))
        if not title:
            ctx.issues.append(Code.NEW_ACTIVITY_TITLE_MISSING.issue(
                **where, cell=cell(TITLE_KEY), row=row, column=t(ctx.lang, f"column.{TITLE_KEY}")
            ))
        status = cells.status(value("status"), cell("status"))
        if status is None and is_blank(value("status")):
            ctx.issues.append(Code.NEW_ACTIVITY_STATUS_MISSING.issue(
                **where, cell=cell("status"), title=title or f"row {row}", choices=cells.choices
            ))
        start, end = cells.date(value("start"), cell("start")), cells.date(value("end"), cell("end"))
        if start and end and end < start:
            ctx.issues.append(Code.NEW_ACTIVITY_DATES.issue(
                **where, cell=cell("end"), title=title, start=start.isoformat(), end=end.isoformat()
            ))
        proposed.append(ProposedActivity(
            sheet=sheet.name, row=row, title=title,
            action_point=_action_point(cells.text(value("action_point"), cell("action_point")), framework,
                                       sheet.name, cell("action_point"), ctx),
            lead=cells.text(value("lead"), cell("lead")),
            partners=cells.text(value("partners"), cell("partners")),
            indicator=cells.text(value("indicator"), cell("indicator")),
            unit=cells.text(value("unit"), cell("unit")),
            target=cells.number(value("target"), cell("target"), "the target as a number"),
            start=start, end=end, status=status,
            actual=cells.number(value("actual"), cell("actual"), "the value reached as a number"),
            comments=cells.text(value("comments"), cell("comments")),
        ))
    return proposed


def _action_point(text: str, framework: Framework, sheet: str, cell: str, ctx: SheetContext) -> str | None:
    """The framework id of '3. Protection-sensitive entry systems', 'AP3' or '3', in any language."""
    if not text:
        return None
    number = action_point_number(text)
    found = framework.action_point(number if number is not None else text)
    if found is None:
        ctx.issues.append(Code.NEW_ACTIVITY_ACTION_POINT.issue(
            file=ctx.file, sheet=sheet, cell=cell, value=text, text=text
        ))
        return None
    return found.id
