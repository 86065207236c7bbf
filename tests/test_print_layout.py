"""Workbooks print as people expect: every sheet on the plan's paper (A4 by default), titles across
the table and wrapped (never cut, right-to-left included), and the Feedback sheet of an annotated
copy landscape, one page wide, its header row on every page, checked in LibreOffice's own PDF."""

from __future__ import annotations

import re

import openpyxl
import pytest

from checkout import DAR, SUDAN, require_tool
from libreoffice_helpers import calc_convert
from matrix.annotate import annotate
from matrix.excel import layout
from matrix.excel.writer import write_workbook
from matrix.i18n import t
from matrix.models.plan import Paper
from matrix.periods import Period
from matrix.plan import load_plan
from matrix.validation import validate_file
from test_languages import return_with_every_kind_of_finding

A4_LANDSCAPE = (842, 595)
"""Points, as PDF MediaBoxes give them (rounded)."""


def pdf_pages(data: bytes) -> list[tuple[int, int]]:
    """(width, height) in points of every page of a PDF LibreOffice wrote (its page objects are
    plain text, their contents compressed)."""
    pages = []
    for match in re.finditer(
        rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)",
        data,
        re.DOTALL,
    ):
        x0, y0, x1, y1 = (float(v) for v in match.groups())
        pages.append((round(x1 - x0), round(y1 - y0)))
    return pages


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_sheet_prints_on_a4_and_titles_span_the_table(tmp_path, lang):
    plan = load_plan(SUDAN)
    path = tmp_path / "m.xlsx"
    write_workbook(plan, "SDN", Period.parse("2026-07"), lang, path)
    wb = openpyxl.load_workbook(path)
    assert {ws.title: ws.page_setup.paperSize for ws in wb.worksheets} == {
        ws.title: 9 for ws in wb.worksheets
    }
    for name in (
        t(lang, "sheet.matrix"),
        t(lang, "sheet.new_activities"),
        t(lang, "sheet.actors"),
        t(lang, "sheet.guide"),
        t(lang, "sheet.overview"),
        t(lang, "sheet.initiatives"),
    ):
        ws = wb[name]
        assert bool(ws.sheet_view.rightToLeft) is (lang == "ar")
        spans = {str(r) for r in ws.merged_cells.ranges}
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert {
            f"A{layout.TITLE_ROW}:{last}{layout.TITLE_ROW}",
            f"A{layout.SUBTITLE_ROW}:{last}{layout.SUBTITLE_ROW}",
        } <= spans
        assert ws.cell(layout.TITLE_ROW, 1).alignment.wrap_text


def test_the_plans_paper_size_is_used(tmp_path):
    plan = load_plan(SUDAN).model_copy(update={"paper": Paper.LETTER})
    path = tmp_path / "m.xlsx"
    write_workbook(plan, "SDN", Period.parse("2026-07"), "en", path)
    assert {ws.page_setup.paperSize for ws in openpyxl.load_workbook(path).worksheets} == {1}


def test_feedback_sheet_is_set_up_for_printing(tmp_path):
    plan, path = return_with_every_kind_of_finding(tmp_path, "fr")
    ws = openpyxl.load_workbook(
        annotate(validate_file(plan, path), path, tmp_path / "fb")
    ).worksheets[0]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert {"A1:F1", "A2:F2"} <= {
        str(r) for r in ws.merged_cells.ranges
    }  # the instruction line is never cut


@pytest.mark.libreoffice
def test_feedback_sheet_prints_one_page_wide_in_libreoffice(tmp_path):
    """LibreOffice's PDF of the Feedback sheet: landscape A4 pages, and as many as one page wide
    allows (the 18 findings fit one page tall), where the sheet used to spread over three."""
    require_tool("soffice")  # before building anything
    plan, path = return_with_every_kind_of_finding(tmp_path, "es")
    copy = annotate(validate_file(plan, path), path, tmp_path / "fb")
    wb = openpyxl.load_workbook(copy)
    for ws in wb.worksheets[1:]:
        wb.remove(ws)  # the Feedback sheet alone, as the office prints it
    alone = tmp_path / "feedback-only.xlsx"
    wb.save(alone)
    calc_convert([alone], tmp_path / "pdf", tmp_path / "profile", to="pdf")
    pages = pdf_pages((tmp_path / "pdf" / "feedback-only.pdf").read_bytes())
    assert 1 <= len(pages) <= 2, pages
    assert set(pages) == {A4_LANDSCAPE}


@pytest.mark.libreoffice
def test_arabic_matrix_stays_right_to_left_with_whole_titles_in_libreoffice(tmp_path):
    """Saved by LibreOffice Calc and exported to PDF, the Arabic matrix keeps its right-to-left
    sheets and its titles across the table, wrapped in rows tall enough for them."""
    require_tool("soffice")  # before building anything
    plan = load_plan(DAR)
    source = tmp_path / "src" / "EHAGL_ar.xlsx"
    source.parent.mkdir()
    write_workbook(plan, "EHAGL", Period.parse("2026-Q3"), "ar", source, regional=True)
    profile = tmp_path / "profile"
    calc_convert([source], tmp_path / "xlsx", profile, to="xlsx")
    calc_convert([source], tmp_path / "pdf", profile, to="pdf")
    wb = openpyxl.load_workbook(tmp_path / "xlsx" / source.name)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert ws.sheet_view.rightToLeft, ws.title
    for name in (t("ar", "sheet.regional"), t("ar", "sheet.new_activities")):
        ws = wb[name]
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}, name
        assert (
            ws.cell(1, 1).alignment.wrap_text and ws.row_dimensions[1].height >= 18
        )  # a 14-point line
    pages = pdf_pages((tmp_path / "pdf" / "EHAGL_ar.pdf").read_bytes())
    assert pages and {size for size in pages if size != A4_LANDSCAPE} <= {
        A4_LANDSCAPE[::-1]
    }  # A4 all through
