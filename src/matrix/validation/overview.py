"""The Overview sheet -> what the office wrote under each heading the plan sets: headings found by
their text (in any language the plan gives them), required ones checked, lengths within limits."""

from __future__ import annotations

from matrix.codes import Code
from matrix.excel.layout import OVERVIEW_COLUMNS
from matrix.i18n import LANGUAGES
from matrix.models.returns import OverviewText
from matrix.overview import Heading
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table, normalise_header
from matrix.validation.values import CellReader

COLUMNS = OVERVIEW_COLUMNS
NEEDED = frozenset({"heading", "summary"})


def read_overview(table: Table, headings: list[Heading], ctx: SheetContext) -> list[OverviewText]:
    cells = CellReader(ctx.file, table, ctx.lang, ctx.date1904, ctx.issues)
    by_label = {
        normalise_header(heading.label(lang)): heading
        for lang in (ctx.lang, *LANGUAGES)
        for heading in headings
    }
    texts: dict[str, str] = {}
    rows: dict[str, int] = {}
    for row, values in table.data_rows():
        label = cells.text(values["heading"], (row, "heading"))
        heading = by_label.get(normalise_header(label)) if label else None
        if heading is None or heading.id in rows:
            if cells.text(values["summary"], (row, "summary")):
                expected = _expected(headings, row - table.header_row - 1, ctx.lang)
                cells.flag(
                    Code.OVERVIEW_TEXT_UNPLACED,
                    (row, "heading"),
                    label,
                    row=row,
                    found=label,
                    expected=expected,
                )
            continue
        rows[heading.id] = row
        if text := cells.limited_text(values["summary"], (row, "summary"), heading.max_length):
            texts[heading.id] = text
    for heading in headings:
        if heading.required and heading.id not in texts:
            label = heading.label(ctx.lang)
            if heading.id in rows:
                cell = (rows[heading.id], "summary")
                cells.flag(Code.OVERVIEW_HEADING_MISSING, cell, heading=label)
            else:  # its row was deleted
                ctx.issues.append(
                    Code.OVERVIEW_HEADING_MISSING.issue(
                        file=ctx.file, sheet=table.sheet.name, heading=label
                    )
                )
    return [OverviewText(heading=h.id, text=texts[h.id]) for h in headings if h.id in texts]


def _expected(headings: list[Heading], position: int, lang: str) -> str:
    """The heading the writer put on a row, for a row whose heading was changed."""
    return headings[position].label(lang) if 0 <= position < len(headings) else "-"
