"""Plan -> the implementation matrix workbook a country office fills in.

Written with xlsxwriter: the fastest writer, Excel-native files with shared strings. Every format
comes from `formats`, created once per workbook, never per cell. Plan text always goes through
`write_string`, so a title that starts with '=' stays text and never becomes a formula. Positions
come from `layout`; one module per sheet writes it; the hidden metadata sheet, which read-back
trusts instead of file or sheet names, is `metadata_sheet`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from matrix._version import __version__
from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.excel.writer.actors import write_actors
from matrix.excel.writer.book import OTHER_SHEETS, Book
from matrix.excel.writer.formats import make_formats
from matrix.excel.writer.good_practices import write_good_practices
from matrix.excel.writer.guide import write_guide
from matrix.excel.writer.initiatives import write_initiatives
from matrix.excel.writer.instructions import write_instructions
from matrix.excel.writer.matrix_sheet import write_matrix_sheet
from matrix.excel.writer.metadata_sheet import write_metadata_sheet
from matrix.excel.writer.new_activities import write_new_activities
from matrix.excel.writer.overview import write_overview
from matrix.excel.writer.validations import write_lists
from matrix.i18n import RIGHT_TO_LEFT
from matrix.models.plan import Plan, in_language
from matrix.models.returns import Narratives, ProgressRecord
from matrix.periods import Period

__all__ = ["close_workbook", "write_workbook"]


def write_workbook(
    plan: Plan,
    office: str,
    period: Period,
    lang: str,
    path: Path | BinaryIO,
    *,
    regional: bool = False,
    prefill: Mapping[tuple[str, str], ProgressRecord] | None = None,
    generated_at: datetime | None = None,
    key: bytes | None = None,
    narratives: Narratives | None = None,
) -> None:
    """Write the national matrix of `office` (ISO3), or with `regional` the workbook of the region
    `office` (a sheet per plan country plus the region-wide rows). `prefill`, keyed by (country or
    region code, ref), fills the office's input cells, e.g. with last period's return, and
    `narratives` its overview and initiatives. `key`, the project key, signs the hidden record."""
    wb = xlsxwriter.Workbook(
        path,
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": True,  # no temporary file per sheet: faster, and nothing left behind
        },
    )
    wb.set_properties(
        {
            "title": in_language(plan.title, lang),
            "subject": office,
            "comments": f"matrix {__version__}",
        }
    )
    book = Book(
        plan,
        office,
        period,
        lang,
        regional=regional,
        prefill=prefill or {},
        generated_at=(generated_at or datetime.now(UTC)).replace(microsecond=0),
        formats=make_formats(wb),
        narratives=narratives,
    )
    # Sheet order is tab order: instructions first, then what the office fills in.
    instructions = wb.add_worksheet(book.names[SheetRole.INSTRUCTIONS])
    matrix_ws = [wb.add_worksheet(sheet.name) for sheet in book.sheets]
    others = {role: wb.add_worksheet(book.names[role]) for role in OTHER_SHEETS[1:]}
    meta = wb.add_worksheet(layout.META_SHEET)
    for ws in wb.worksheets():
        ws.set_paper(book.paper)  # every sheet on the same paper: A4 unless the plan says
        if lang in RIGHT_TO_LEFT:
            ws.right_to_left()

    write_instructions(instructions, book)
    fingerprints = {}
    for ws, sheet in zip(matrix_ws, book.sheets, strict=True):
        fingerprints.update(write_matrix_sheet(ws, book, sheet))
    write_new_activities(others[SheetRole.NEW_ACTIVITIES], book)
    write_initiatives(others[SheetRole.INITIATIVES], book)
    write_good_practices(others[SheetRole.GOOD_PRACTICES], book)
    write_overview(others[SheetRole.OVERVIEW], book)
    write_guide(others[SheetRole.GUIDE], book)
    write_actors(others[SheetRole.ACTORS], book)
    write_lists(others[SheetRole.LISTS], book)
    write_metadata_sheet(meta, book, fingerprints, key)
    close_workbook(wb)


def close_workbook(wb: xlsxwriter.Workbook) -> None:
    """Write out an xlsxwriter workbook. Its FileCreateError wraps the OSError (a full disk, say),
    which is raised as itself: callers handle one kind of failure."""
    try:
        wb.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise OSError(str(exc)) from exc
