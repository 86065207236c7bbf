"""The Guide sheet: the step-by-step guide the Implementation Matrix is meant to give. Per action
point, what stakeholders can do and the support UNHCR can provide (the framework's guidance and
the plan's), then this workbook's activities under it with their lead, partners and dates. Read
only: nothing on it is read back."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix.excel import layout
from matrix.excel.writer.book import Book
from matrix.excel.writer.frame import protect, row_height, span_titles, write_value
from matrix.guidance import PARTS, guide
from matrix.i18n import RIGHT_TO_LEFT, t
from matrix.models.plan import ActionPoint, Activity

WIDTH = sum(c.width for c in layout.GUIDE_COLUMNS)
LAST = len(layout.GUIDE_COLUMNS) - 1


def write_guide(ws: Worksheet, book: Book) -> None:
    lang = book.lang
    for i, column in enumerate(layout.GUIDE_COLUMNS):
        ws.set_column(i, i, column.width)
    subtitle = t(lang, "guide.subtitle", framework=book.framework_title, office=book.office_label())
    span_titles(ws, book, layout.GUIDE_COLUMNS, t(lang, "guide.title"), subtitle)
    activities = book.activities()
    r = layout.HEADER_ROW
    for ap in book.action_points:
        r = _action_point(ws, book, ap, [a for a in activities if book.activity_ap(a) is ap], r) + 1
    ws.set_landscape()
    ws.set_paper(book.paper)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&L&A&R&P / &N")
    protect(ws)


def _action_point(
    ws: Worksheet, book: Book, ap: ActionPoint, activities: list[Activity], r: int
) -> int:
    """Write one action point's guide from row `r` (0-based); returns the next free row."""
    f, lang = book.formats, book.lang
    ws.merge_range(r, 0, r, LAST, book.ap_label(ap, ap.id), f.band)
    r += 1
    description = book.ap_description(ap)
    if description:
        r = _paragraph(ws, r, description, f.small)
    advice = guide(book.plan, ap, lang)
    # a right-to-left mark first, so an Arabic item's bullet sits on its right, where it starts
    bullet = "\u200f• " if lang in RIGHT_TO_LEFT else "• "
    for part in PARTS:
        items = advice.part(part)
        if not items:
            continue
        ws.merge_range(r, 0, r, LAST, t(lang, f"guide.{part}"), f.label)
        r += 1
        for item in items:
            r = _paragraph(ws, r, f"{bullet}{item}", f.text)
    ws.merge_range(r, 0, r, LAST, t(lang, "guide.activities"), f.label)
    r += 1
    if not activities:
        return _paragraph(ws, r, t(lang, "guide.no_activity"), f.small)
    for i, column in enumerate(layout.GUIDE_COLUMNS):
        ws.write_string(r, i, t(lang, column.header_key), f.header)
    r += 1
    for activity in activities:
        values = {
            "ref": activity.id,
            "activity": activity.title,
            "lead": activity.lead,
            "partners": ", ".join(activity.partners),
            "start": activity.start,
            "end": activity.end,
        }
        for i, column in enumerate(layout.GUIDE_COLUMNS):
            write_value(ws, r, i, values[column.key], f.cell(column))
        if height := row_height([(activity.title, layout.GUIDE_COLUMNS[1].width)]):
            ws.set_row(r, height)
        r += 1
    return r


def _paragraph(ws: Worksheet, r: int, text: str, fmt) -> int:
    ws.merge_range(r, 0, r, LAST, text, fmt)
    if height := row_height([(text, WIDTH)]):
        ws.set_row(r, height)
    return r + 1
