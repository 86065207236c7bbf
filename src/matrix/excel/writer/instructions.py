"""The Instructions sheet: what the workbook is for, when it is due, how to fill it in, what each
status means. The first tab, so the first thing an office sees."""

from __future__ import annotations

from datetime import date

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from matrix._version import __version__
from matrix.excel.layout import SheetRole
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import protect, row_height
from matrix.i18n import t
from matrix.models.plan import Status

INSTRUCTIONS_WIDTH = 100


def write_instructions(ws: Worksheet, book: Book) -> None:
    f, lang, plan, due = book.formats, book.lang, book.plan, book.due
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, INSTRUCTIONS_WIDTH)

    def text(row: int, value: str, fmt: Format = f.text) -> None:
        ws.write_string(row, 1, value, fmt)
        if height := row_height([(value, INSTRUCTIONS_WIDTH)]):
            ws.set_row(row, height)

    ws.merge_range(0, 0, 0, 1, t(lang, "instructions.title"), f.title)
    facts: list[tuple[str, str | date]] = [
        ("plan", book.text(plan.title)),
        ("office", book.office_label()),
        (
            "period",
            t(
                lang,
                "instructions.period_value",
                period=book.period_text,
                start=book.period.start,
                end=book.period.end,
            ),
        ),
        ("due", due),
    ]
    send_to = book.text(plan.reporting.send_to)
    if send_to:
        facts.append(("send_to", send_to))
    row = 2
    for key, value in facts:
        ws.write_string(row, 0, t(lang, f"instructions.{key}"), f.label)
        if isinstance(value, date):
            ws.write_datetime(row, 1, value, f.date)
        else:
            text(row, value)
        row += 1
    text(row + 1, t(lang, "instructions.about", office=book.office_label()))
    row += 3
    ws.write_string(row, 0, t(lang, "instructions.how"), f.label)
    steps = [
        t(lang, "instructions.step.sheets", sheets=", ".join(s.name for s in book.sheets)),
        t(lang, "instructions.step.status"),
        t(lang, "instructions.step.actual"),
    ]
    if plan.has_budgets:
        steps.append(t(lang, "instructions.step.funds", currency=plan.currency))
    steps += [
        t(lang, "instructions.step.comments"),
        t(lang, "instructions.step.next"),
        t(lang, "instructions.step.new", sheet=book.names[SheetRole.NEW_ACTIVITIES]),
        t(lang, "instructions.step.initiatives", sheet=book.names[SheetRole.INITIATIVES]),
        t(lang, "instructions.step.good_practices", sheet=book.names[SheetRole.GOOD_PRACTICES]),
        t(lang, "instructions.step.overview", sheet=book.names[SheetRole.OVERVIEW]),
        t(lang, "instructions.step.guide", sheet=book.names[SheetRole.GUIDE]),
    ]
    for number, step in enumerate(steps, 1):
        row += 1
        ws.write_string(row, 0, f"{number}.", f.label)
        text(row, step)
    row += 2
    ws.write_string(row, 0, t(lang, "instructions.statuses"), f.label)
    for status, label in zip(Status, book.status_labels, strict=True):
        row += 1
        ws.write_string(row, 0, label, f.legend[status])
        text(row, t(lang, f"status.{status.value}.help"))
    row += 2
    send = (
        t(lang, "instructions.send", send_to=send_to, due=due)
        if send_to
        else t(lang, "instructions.send_unknown", due=due)
    )
    text(row, send)
    text(row + 1, t(lang, "instructions.warning"), f.warning)
    ws.write_string(
        row + 3,
        1,
        t(
            lang,
            "instructions.generated",
            version=__version__,
            date=book.generated_at.date(),
            hash=book.plan_hash[:12],
        ),
        f.small,
    )
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&A&R&P / &N")
    protect(ws)
