"""The Overview sheet: the office's summary of the period, one yellow cell per heading the plan
sets, each with what to cover, its length limit and a live character count."""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.layout import Kind
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import start_table, write_value
from matrix.excel.writer.validations import length_validation
from matrix.i18n import t
from matrix.overview import overview_headings


def write_overview(ws: Worksheet, book: Book) -> None:
    f, lang = book.formats, book.lang
    columns = layout.OVERVIEW_COLUMNS
    col = {c.key: i for i, c in enumerate(columns)}
    start_table(ws, book, columns, t(lang, "overview.title"), book.subtitle(book.office_label()))
    given = {entry.heading: entry.text for entry in book.narratives.overview}
    summary_letter = xl_col_to_name(col["summary"])
    for i, heading in enumerate(overview_headings(book.plan)):
        r = layout.FIRST_DATA_ROW - 1 + i
        text = given.get(heading.id, "")
        hint = heading.hint_text(lang)
        limit = t(
            lang,
            "overview.required" if heading.required else "overview.optional",
            limit=heading.max_length,
        )
        ws.write_string(r, col["heading"], heading.label(lang), f.heading)
        write_value(ws, r, col["summary"], text, f.cells[False, Kind.TEXT])
        ws.write_string(r, col["what_to_cover"], f"{hint}\n{limit}" if hint else limit, f.hint)
        ws.write_formula(
            r,
            col["characters"],
            f"=LEN({summary_letter}{r + 1})",
            f.cells[True, Kind.NUMBER],
            len(text),
        )
        ws.set_row(r, layout.OVERVIEW_ROW_HEIGHT)
        length_validation(
            ws,
            lang,
            col["summary"],
            r,
            r,
            heading.max_length,
            input_title=heading.label(lang)[:32],
            input_message=(hint or limit)[:255],
        )
    ws.freeze_panes(layout.HEADER_ROW, 1)
