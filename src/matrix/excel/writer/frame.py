"""What the sheets share: protection, a table's frame (title, header row, widths, print set-up),
and row heights for wrapped text."""

from __future__ import annotations

import math
from datetime import date

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import Column
from matrix.excel.writer.book import Book
from matrix.i18n import t

PROTECTION = {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True}
"""Protection stops accidents, not people: no password; filtering and resizing stay allowed."""
LINE_HEIGHT = 15  # points, for the default 11-point font
TITLE_SIZE = 14
"""Points: a table's title (formats.title)."""


def protect(ws: Worksheet) -> None:
    ws.protect("", PROTECTION)


def start_table(
    ws: Worksheet, book: Book, columns: tuple[Column, ...], title: str, subtitle: str
) -> None:
    """Title, subtitle and header row where `layout` puts them; printed landscape on the plan's
    paper, one page wide, headers repeated on every page. Title and subtitle span the table and
    wrap, so a long one is never cut (a right-to-left sheet has no room to overflow into)."""
    f = book.formats
    for i, column in enumerate(columns):
        ws.set_column(i, i, column.width)
    span_titles(ws, book, columns, title, subtitle)
    ws.set_row(layout.HEADER_ROW - 1, 32)
    for i, column in enumerate(columns):
        ws.write_string(layout.HEADER_ROW - 1, i, t(book.lang, column.header_key), f.header)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(layout.HEADER_ROW - 1)
    ws.set_footer("&L&A&R&P / &N")
    protect(ws)


def span_titles(
    ws: Worksheet, book: Book, columns: tuple[Column, ...], title: str, subtitle: str
) -> None:
    """Title and subtitle across the width of `columns`, wrapped in rows tall enough for them."""
    f = book.formats
    width = sum(column.width for column in columns)
    for row, text, fmt, size in (
        (layout.TITLE_ROW - 1, title, f.title, TITLE_SIZE),
        (layout.SUBTITLE_ROW - 1, subtitle, f.subtitle, 11),
    ):
        ws.merge_range(row, 0, row, len(columns) - 1, text, fmt)
        ws.set_row(row, text_height(text, width, size))


def text_height(text: str, width: float, size: float) -> float:
    """The height of a row holding `text` wrapped across `width` (in characters of the default
    11-point font) in a `size`-point font."""
    per_line = max(width * 11 / size - 1, 1)
    lines = sum(math.ceil(max(len(part), 1) / per_line) for part in text.split("\n"))
    return min(lines * LINE_HEIGHT * size / 11, 409)


def row_height(cells: list[tuple[str, float]]) -> float | None:
    """An explicit height for a row of wrapped text, or None when one line fits.

    LibreOffice does not grow rows to fit wrapped text on opening a file that gives no height,
    so long activity titles and instructions would overlap; a column width is roughly the
    number of characters that fit on a line.
    """
    lines = max(
        (
            sum(math.ceil(max(len(part), 1) / max(width - 1, 1)) for part in text.split("\n"))
            for text, width in cells
            if text
        ),
        default=1,
    )
    return min(lines * LINE_HEIGHT, 409) if lines > 1 else None


def write_value(ws: Worksheet, row: int, col: int, value: object, fmt: Format) -> None:
    """A cell of any type an office's entries have: blank, text (never a formula), date, number."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_number(row, col, value, fmt)
