"""The New activities sheet -> activities an office is carrying out that the plan does not list:
a stock-take for the coordinator, read with the same value rules as the matrix."""

from __future__ import annotations

from typing import Any

from matrix.codes import Code
from matrix.i18n import action_point_number, phrase, t
from matrix.models.plan import ActionPoint, Framework
from matrix.models.returns import ProposedActivity
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table
from matrix.validation.values import CellReader, is_blank

TITLE_KEY = "activity"


def read_new_activities(
    table: Table, framework: Framework, ctx: SheetContext
) -> list[ProposedActivity]:
    sheet = table.sheet
    cells = CellReader(ctx.file, table, ctx.lang, ctx.date1904, ctx.issues)
    where: dict[str, Any] = {"file": ctx.file, "sheet": sheet.name}
    proposed = []
    for row, values in table.data_rows():
        if all(is_blank(v) for v in values.values()):
            continue

        def read(kind, key: str, *args: object, values: dict[str, object] = values, row: int = row):
            return kind(values.get(key, ""), (row, key), *args)

        title = read(cells.text, TITLE_KEY)
        if not title:
            ctx.issues.append(
                Code.NEW_ACTIVITY_TITLE_MISSING.issue(
                    **where,
                    cell=table.cell(row, TITLE_KEY),
                    row=row,
                    column=t(ctx.lang, f"column.{TITLE_KEY}"),
                )
            )
        status = read(cells.status, "status")
        if status is None and is_blank(values.get("status")):
            ctx.issues.append(
                Code.NEW_ACTIVITY_STATUS_MISSING.issue(
                    **where,
                    cell=table.cell(row, "status"),
                    title=title or phrase("format.row", row=row),
                    choices=cells.choices,
                )
            )
        start, end = read(cells.date, "start"), read(cells.date, "end")
        if start and end and end < start:
            ctx.issues.append(
                Code.NEW_ACTIVITY_DATES.issue(
                    **where, cell=table.cell(row, "end"), title=title, start=start, end=end
                )
            )
        proposed.append(
            ProposedActivity(
                sheet=sheet.name,
                row=row,
                title=title,
                action_point=_action_point(
                    read(cells.text, "action_point"),
                    framework,
                    table.cell(row, "action_point"),
                    where,
                    ctx,
                ),
                lead=read(cells.text, "lead"),
                partners=read(cells.text, "partners"),
                indicator=read(cells.text, "indicator"),
                unit=read(cells.text, "unit"),
                target=read(cells.number, "target", phrase("wanted.target")),
                start=start,
                end=end,
                status=status,
                actual=read(cells.number, "actual", phrase("wanted.reached")),
                comments=read(cells.text, "comments"),
            )
        )
    return proposed


def action_point_of(text: str, framework: Framework) -> ActionPoint | None:
    """The action point of '3. Protection-sensitive entry systems', 'AP3' or '3', in any
    language."""
    number = action_point_number(text)
    return framework.action_point(number if number is not None else text)


def _action_point(
    text: str | None, framework: Framework, cell: str | None, where: dict, ctx: SheetContext
) -> str | None:
    if not text:
        return None
    found = action_point_of(text, framework)
    if found is None:
        ctx.issues.append(
            Code.NEW_ACTIVITY_ACTION_POINT.issue(**where, cell=cell, value=text, text=text)
        )
        return None
    return found.id
