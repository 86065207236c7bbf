"""The Actors sheet: who the plan's actor ids stand for, so an office can pick a lead."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import start_table
from matrix.i18n import t


def write_actors(ws: Worksheet, book: Book) -> None:
    lang, fmt = book.lang, book.formats.cells[True, layout.Kind.TEXT]
    start_table(ws, book, layout.ACTOR_COLUMNS, t(lang, "actors.title"), book.text(book.plan.title))
    for r, actor in enumerate(book.plan.actors, layout.FIRST_DATA_ROW - 1):
        ws.write_string(r, 0, actor.id, fmt)
        ws.write_string(r, 1, book.text(actor.name), fmt)
        ws.write_string(r, 2, t(lang, f"actor_type.{actor.type.value}"), fmt)
    ws.freeze_panes(layout.HEADER_ROW, 1)
