"""The copy openpyxl annotates: no character XML forbids, no trailing rows of bare formatting,
everything else as the office saved it."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from hostile_helpers import (
    before_sheet_end,
    edit_part,
    in_last_row,
    prefixed,
    small_workbook,
    styled_empty_rows,
)
from matrix.excel.sanitise import (
    sanitised_copy,
    without_forbidden_characters,
    without_trailing_formatting,
)
from validation_helpers import SHEET

ROWS = (
    b'<sheetData><row r="1"><c r="A1" s="1"/></row><row r="2"><c r="B2"><v>1</v></c></row>'
    b"%s</sheetData>"
)


def test_forbidden_characters_are_removed_in_every_spelling_and_the_rest_kept():
    xml = b"<t>a\x07b&#x7;c&#11;d&#xFFFE;e\xef\xbf\xbff &#10;&#233;&amp;\t</t>"
    assert without_forbidden_characters(xml) == b"<t>abcdef &#10;&#233;&amp;\t</t>"


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        (
            (
                b'<row r="3" s="1" customFormat="1"><c r="A3" s="1"/><c r="B3" s="1"/></row>'
                b'<row r="4" s="1"/>'
            ),
            b"",
        ),
        (
            b'<row r="3"><c r="A3" s="1"/></row><row r="4"><c r="A4"><v>2</v></c></row>',
            b'<row r="3"><c r="A3" s="1"/></row><row r="4"><c r="A4"><v>2</v></c></row>',
        ),
        (b"", b""),
    ],
)
def test_only_rows_of_bare_formatting_after_the_data_are_dropped(tail, kept):
    assert without_trailing_formatting(ROWS % tail) == ROWS % kept


def test_a_sheet_of_bare_formatting_keeps_its_sheet_data():
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1" s="1"/></row></sheetData>'
        b"<sheetProtection/></worksheet>"
    )
    assert (
        without_trailing_formatting(xml)
        == b"<worksheet><sheetData></sheetData><sheetProtection/></worksheet>"
    )


def test_prefixed_rows_are_trimmed_too():
    assert without_trailing_formatting(
        prefixed(b'<worksheet xmlns="m">' + ROWS % styled_empty_rows(3, 2) + b"</worksheet>")
    ) == prefixed(b'<worksheet xmlns="m">' + ROWS % b"" + b"</worksheet>")


def test_openpyxl_loads_the_copy_of_a_messy_workbook(tmp_path):
    book = small_workbook(tmp_path / "book.xlsx")
    messy = edit_part(
        book,
        tmp_path / "messy.xlsx",
        SHEET,
        lambda xml: before_sheet_end(styled_empty_rows(3, 5_000))(
            in_last_row(b'<c r="C2" t="inlineStr"><is><t>bell&#x7;</t></is></c>')(xml)
        ),
    )
    with zipfile.ZipFile(sanitised_copy(messy)) as copy:
        assert b'r="A5000"' not in copy.read(SHEET)
    ws = openpyxl.load_workbook(sanitised_copy(messy))["Matrix"]
    assert (ws.max_row, ws["B2"].value, ws["C2"].value) == (2, 12, "bell")
