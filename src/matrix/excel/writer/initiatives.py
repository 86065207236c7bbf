"""The Initiatives sheet: the office's stock-take of projects and initiatives that relate to the
framework but are not in the plan, whoever runs them, on numbered rows (I1, I2, ...) so a good
practice can name one; `--prefill` starts from the office's last list."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import start_table, write_value
from matrix.excel.writer.validations import input_checks
from matrix.i18n import status_label, t
from matrix.models.returns import Initiative


def write_initiatives(ws: Worksheet, book: Book) -> None:
    columns, lang = layout.INITIATIVE_COLUMNS, book.lang
    subtitle = t(lang, "initiatives.subtitle", sheet=book.names[SheetRole.NEW_ACTIVITIES])
    start_table(ws, book, columns, t(lang, "initiatives.title"), subtitle)
    given = {i.ref: i for i in book.narratives.initiatives}
    first = layout.FIRST_DATA_ROW - 1
    last = first + layout.INITIATIVE_ROWS - 1
    for n in range(layout.INITIATIVE_ROWS):
        ref = layout.initiative_ref(n)
        values = _values(given[ref], book) if ref in given else {}
        for i, column in enumerate(columns):
            value = ref if column.key == "ref" else values.get(column.key)
            write_value(ws, first + n, i, value, book.formats.cell(column))
    for i, column in enumerate(columns):
        if not column.locked:
            input_checks(ws, book, column, i, first, last)
    ws.freeze_panes(layout.HEADER_ROW, 2)


def _values(initiative: Initiative, book: Book) -> dict[str, object]:
    """An initiative of the office's last return, as the office would type it again."""
    ap = book.framework.action_point(initiative.action_point) if initiative.action_point else None
    return {
        "initiative": initiative.title,
        "action_point": book.ap_label(ap, "") if ap else None,
        "actors": initiative.actors,
        "start": initiative.start,
        "end": initiative.end,
        "status": status_label(initiative.status, book.lang) if initiative.status else None,
        "comments": initiative.comments,
    }
