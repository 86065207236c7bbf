"""The New activities sheet: blank, validated rows where an office reports work the plan does not
list, with the same drop-downs and checks as the matrix."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import start_table
from matrix.excel.writer.validations import input_checks
from matrix.i18n import t


def write_new_activities(ws: Worksheet, book: Book) -> None:
    columns, lang = layout.NEW_ACTIVITY_COLUMNS, book.lang
    start_table(
        ws,
        book,
        columns,
        t(lang, "new_activities.title"),
        t(lang, "new_activities.subtitle", example=book.example_date),
    )
    first = layout.FIRST_DATA_ROW - 1
    last = first + layout.NEW_ACTIVITY_ROWS - 1
    for i, column in enumerate(columns):
        fmt = book.formats.cell(column)
        for r in range(first, last + 1):
            ws.write_blank(r, i, None, fmt)
        input_checks(ws, book, column, i, first, last)
    ws.freeze_panes(layout.HEADER_ROW, 1)
