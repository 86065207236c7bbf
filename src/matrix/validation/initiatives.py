"""The Initiatives sheet -> the office's stock-take of projects and initiatives outside the plan:
each numbered row with entries needs a title, an action point and a status."""

from __future__ import annotations

from matrix.codes import Code
from matrix.excel.layout import INITIATIVE_COLUMNS, INITIATIVE_ROWS
from matrix.i18n import t
from matrix.models.plan import Framework
from matrix.models.returns import Initiative
from matrix.validation.new_activities import action_point_of
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table
from matrix.validation.values import CellReader, is_blank

COLUMNS = INITIATIVE_COLUMNS
NEEDED = frozenset({"ref", "initiative", "status"})
LIMITS = {c.key: c.max_length for c in COLUMNS}


def read_initiatives(table: Table, framework: Framework, ctx: SheetContext) -> list[Initiative]:
    cells = CellReader(ctx.file, table, ctx.lang, ctx.date1904, ctx.issues)
    found: list[Initiative] = []
    seen: dict[str, int] = {}
    for row, values in table.data_rows():
        if all(is_blank(v) for key, v in values.items() if key != "ref"):
            continue
        text = {
            key: cells.limited_text(v, (row, key), LIMITS[key])
            for key, v in values.items()
            if key not in ("start", "end", "status")
        }
        ref, title = text["ref"], text.get("initiative", "")
        if not ref or ref in seen:
            if ref:
                cells.flag(
                    Code.INITIATIVE_REF_DUPLICATE,
                    (row, "ref"),
                    ref,
                    ref=ref,
                    first=seen[ref],
                    last=INITIATIVE_ROWS,
                )
            else:
                cells.flag(Code.INITIATIVE_REF_MISSING, (row, "ref"), row=row, last=INITIATIVE_ROWS)
            continue
        seen[ref] = row
        if not title:
            cells.flag(
                Code.INITIATIVE_TITLE_MISSING,
                (row, "initiative"),
                ref=ref,
                column=t(ctx.lang, "column.initiative"),
            )
        name = title or ref
        ap_text = text.get("action_point", "")
        ap = action_point_of(ap_text, framework) if ap_text else None
        if ap is None and ap_text:
            cells.flag(
                Code.INITIATIVE_ACTION_POINT_UNKNOWN,
                (row, "action_point"),
                ap_text,
                title=name,
                text=ap_text,
            )
        elif ap is None:
            cells.flag(Code.INITIATIVE_ACTION_POINT_MISSING, (row, "action_point"), title=name)
        status = cells.status(values["status"], (row, "status"))
        if status is None and is_blank(values["status"]):
            cells.flag(
                Code.INITIATIVE_STATUS_MISSING, (row, "status"), title=name, choices=cells.choices
            )
        start = cells.date(values.get("start", ""), (row, "start"))
        end = cells.date(values.get("end", ""), (row, "end"))
        if start and end and end < start:
            cells.flag(
                Code.INITIATIVE_DATES,
                (row, "end"),
                title=name,
                start=start.isoformat(),
                end=end.isoformat(),
            )
        found.append(
            Initiative(
                sheet=table.sheet.name,
                row=row,
                ref=ref,
                title=title,
                action_point=ap.id if ap else None,
                actors=text.get("actors", ""),
                start=start,
                end=end,
                status=status,
                comments=text.get("comments", ""),
            )
        )
    return found
