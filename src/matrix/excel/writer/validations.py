"""What Excel checks while an office types: drop-downs whose choices sit on the hidden Lists sheet
(written here too, from the same `layout.DROP_DOWNS`), numbers that cannot be negative, dates."""

from __future__ import annotations

from datetime import date

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from matrix.excel.addresses import quoted
from matrix.excel.layout import DROP_DOWNS, Column, Kind, SheetRole
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import protect
from matrix.i18n import t
from matrix.models.plan import Status

FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)


def write_lists(ws: Worksheet, book: Book) -> None:
    """The drop-downs' choices, one column per kind. Hidden, not secret."""
    for kind, drop_down in DROP_DOWNS.items():
        for r, choice in enumerate(book.choices(kind)):
            ws.write_string(r, drop_down.list_column, choice)
    protect(ws)
    ws.hide()


def error_message(lang: str, what: str, **params: object) -> dict[str, str]:
    """Excel's message box for a refused entry, within Excel's limits (32 and 255 characters)."""
    return {
        "error_title": t(lang, f"validation.{what}.title")[:32],
        "error_message": t(lang, f"validation.{what}.message", **params)[:255],
    }


def drop_down(ws: Worksheet, book: Book, kind: Kind, col: int, first: int, last: int) -> None:
    """Rows `first`..`last` (0-based) of column `col` pick from the Lists sheet's `kind` choices."""
    spec = DROP_DOWNS[kind]
    count = len(book.choices(kind))
    top = xl_rowcol_to_cell(0, spec.list_column, row_abs=True, col_abs=True)
    bottom = xl_rowcol_to_cell(count - 1, spec.list_column, row_abs=True, col_abs=True)
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "list",
            "source": f"={quoted(book.names[SheetRole.LISTS])}!{top}:{bottom}",
            **({} if spec.strict else {"error_type": "information"}),
            **error_message(book.lang, spec.message),
        },
    )


def status_drop_down(ws: Worksheet, book: Book, col: int, first: int, last: int) -> None:
    """The status drop-down, and each status in its colours once chosen."""
    drop_down(ws, book, Kind.STATUS, col, first, last)
    for status, label in zip(Status, book.status_labels, strict=True):
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": '"' + label.replace('"', '""') + '"',
                "format": book.formats.status[status],
            },
        )


def number_validation(
    ws: Worksheet, lang: str, col: int, first: int, last: int, **extra: str
) -> None:
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            **error_message(lang, "number"),
            **extra,
        },
    )


def actual_validation(
    ws: Worksheet, book: Book, check: str, col: int, first: int, last: int, **extra: str
) -> None:
    """The actual cells of one kind of indicator: a number of 0 or more ('decimal'), a whole
    number ('whole'), Yes or No from a list ('yes_no'), or a date ('date')."""
    lang = book.lang
    if check == "decimal":
        number_validation(ws, lang, col, first, last, **extra)
        return
    options: dict[str, object]
    if check == "whole":
        options = {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            **error_message(lang, "whole"),
        }
    elif check == "yes_no":
        options = {
            "validate": "list",
            "source": [t(lang, "value.yes"), t(lang, "value.no")],
            **error_message(lang, "yes_no"),
        }
    else:
        options = {
            "validate": "date",
            "criteria": "between",
            "minimum": FIRST_DATE,
            "maximum": LAST_DATE,
            **error_message(lang, "date", example=book.example_date),
        }
    ws.data_validation(first, col, last, col, {**options, **extra})


def date_validation(ws: Worksheet, book: Book, col: int, first: int, last: int) -> None:
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": FIRST_DATE,
            "maximum": LAST_DATE,
            **error_message(book.lang, "date", example=book.example_date),
        },
    )


def length_validation(
    ws: Worksheet, lang: str, col: int, first: int, last: int, limit: int, **extra: str
) -> None:
    """Text of at most `limit` characters; matrix checks it again when the file comes back, since
    pasted text skips Excel's check."""
    ws.data_validation(
        first,
        col,
        last,
        col,
        {
            "validate": "length",
            "criteria": "<=",
            "value": limit,
            "error_title": t(lang, "validation.length.title")[:32],
            "error_message": t(lang, "validation.length.message", limit=limit)[:255],
            **extra,
        },
    )


def input_checks(
    ws: Worksheet, book: Book, column: Column, col: int, first: int, last: int, **extra: str
) -> None:
    """What Excel checks in an input column of a table, from its kind and length limit; `extra`
    (an input message) goes with a length check."""
    if column.kind is Kind.STATUS:
        status_drop_down(ws, book, col, first, last)
    elif column.kind in DROP_DOWNS:
        drop_down(ws, book, column.kind, col, first, last)
    elif column.kind is Kind.NUMBER:
        number_validation(ws, book.lang, col, first, last)
    elif column.kind is Kind.DATE:
        date_validation(ws, book, col, first, last)
    elif column.max_length is not None:
        length_validation(ws, book.lang, col, first, last, column.max_length, **extra)
