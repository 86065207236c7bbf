"""The Good practices sheet: an activity of the plan or an initiative the office found worked
well, described in the five parts of the 10-Point Plan in Action compendium, one per row."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import start_table
from matrix.excel.writer.validations import input_checks
from matrix.i18n import t


def write_good_practices(ws: Worksheet, book: Book) -> None:
    columns, lang = layout.GOOD_PRACTICE_COLUMNS, book.lang
    subtitle = t(lang, "good_practices.subtitle", sheet=book.names[SheetRole.INITIATIVES])
    start_table(ws, book, columns, t(lang, "good_practices.title"), subtitle)
    first = layout.FIRST_DATA_ROW - 1
    last = first + layout.GOOD_PRACTICE_ROWS - 1
    for r in range(first, last + 1):
        ws.set_row(r, layout.GOOD_PRACTICE_ROW_HEIGHT)
        for i, column in enumerate(columns):
            ws.write_blank(r, i, None, book.formats.cell(column))
    one_per_line = {
        "input_title": t(lang, "good_practices.list_title")[:32],
        "input_message": t(lang, "good_practices.list_message")[:255],
    }
    for i, column in enumerate(columns):
        extra = one_per_line if column.key in layout.LIST_PARTS else {}
        input_checks(ws, book, column, i, first, last, **extra)
    ws.freeze_panes(layout.HEADER_ROW, 2)
