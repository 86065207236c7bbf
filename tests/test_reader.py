"""Cell values come back as calamine reads them, placed at their Excel row and column, with the
facts calamine cannot see filled in from the safety scan."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from matrix.errors import MatrixError
from matrix.excel.reader import ExcelError, WorkbookReadError, read_workbook
from validation_helpers import SHEET, rewrite


@pytest.fixture
def book(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Matrix"
    ws["C3"] = "Ref"
    ws["D4"] = 120
    ws["E5"] = date(2026, 9, 30)
    ws["E5"].number_format = "yyyy-mm-dd"
    ws["F6"] = "#DIV/0!"
    hidden = wb.create_sheet("Lists")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "On track"
    secret = wb.create_sheet("_matrix")
    secret.sheet_state = "veryHidden"
    secret["A1"], secret["B1"] = "plan_id", "p"
    ws.protection.sheet = True
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_values_sit_at_their_excel_row_and_column(book):
    raw = read_workbook(book)
    sheet = raw.sheets["Matrix"]
    assert sheet.value(3, 3) == "Ref"
    assert sheet.value(4, 4) == 120
    assert sheet.value(5, 5) == date(2026, 9, 30)
    assert sheet.value(1, 1) == ""
    assert sheet.value(500, 50) == ""


def test_error_cells_are_excel_errors_not_blanks(book):
    assert read_workbook(book).sheets["Matrix"].value(6, 6) == ExcelError("#DIV/0!")


def test_sheet_states_protection_and_metadata_rows(book):
    raw = read_workbook(book)
    assert [(s.name, s.state) for s in raw.sheets.values()] == [
        ("Matrix", "visible"),
        ("Lists", "hidden"),
        ("_matrix", "veryHidden"),
    ]
    assert raw.sheets["Matrix"].protected and not raw.sheets["Lists"].protected
    assert raw.metadata_rows == [["plan_id", "p"]]


def test_unsafe_file_raises_read_error_with_its_issue(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(WorkbookReadError) as caught:
        read_workbook(path)
    assert isinstance(caught.value, MatrixError)
    assert [i.code for i in caught.value.issues] == ["csv-not-workbook"]


def test_calamine_failure_becomes_workbook_unreadable(book, tmp_path):
    broken = rewrite(
        book, tmp_path / "broken.xlsx", replace={SHEET: (b"<sheetData>", b"<sheetData><row r=")}
    )
    raw = read_workbook(broken)  # sheets are read on first use
    with pytest.raises(WorkbookReadError) as caught:
        _ = raw.sheets["Matrix"].rows
    assert [i.code for i in caught.value.issues] == ["workbook-unreadable"]


def test_only_the_sheets_used_are_read(book):
    raw = read_workbook(book)
    assert raw.sheets["Matrix"].rows
    assert raw.sheets["Matrix"].loaded and not raw.sheets["Lists"].loaded


@pytest.mark.parametrize(
    ("spelling", "character"),
    [
        (b"&#x7;", "\x07"),
        (b"&#11;", "\x0b"),
        (b"_x001F_", "\x1f"),
        (b"\x0c", "\x0c"),
        (b"&#xFFFE;", "\ufffe"),
    ],
)
def test_characters_xml_forbids_are_removed_and_recorded(book, tmp_path, spelling, character):
    path = rewrite(
        book,
        tmp_path / "bell.xlsx",
        replace={SHEET: (b"<t>Ref</t>", b"<t>R" + spelling + b"ef</t>")},
    )
    sheet = read_workbook(path).sheets["Matrix"]
    assert sheet.value(3, 3) == "Ref"
    assert sheet.removed == {(3, 3): character}


def test_text_is_untouched_when_the_scan_saw_nothing_to_remove(book):
    sheet = read_workbook(book).sheets["Matrix"]
    assert sheet.value(3, 3) == "Ref" and sheet.removed == {}


def test_formatting_dragged_down_reads_only_the_rows_holding_values(book, tmp_path):
    rows = b"".join(
        b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/><c r="T%d" s="1"/></row>' % (r, r, r)
        for r in range(7, 50_007)
    )
    path = rewrite(
        book, tmp_path / "dragged.xlsx", replace={SHEET: (b"</sheetData>", rows + b"</sheetData>")}
    )
    assert len(read_workbook(path).sheets["Matrix"].rows) == 6
