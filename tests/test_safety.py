"""The safety scan as the validation uses it: one verdict per file, before any parser runs, from
the bytes it read once (sniffing, zip reading and sheet scanning are tested in their own files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from hostile_helpers import edit_part, small_workbook
from matrix.excel.safety import inspect_file, scan_file
from validation_helpers import SHEET, rewrite


@pytest.fixture
def xlsx(tmp_path) -> Path:
    return small_workbook(tmp_path / "book.xlsx")


def test_a_plain_workbook_passes_and_reports_its_sheets(xlsx):
    scan = scan_file(xlsx)
    assert scan.issues == []
    assert list(scan.sheets) == ["Matrix"]
    assert scan.date1904 is False and scan.forbidden_characters is False


def test_the_bytes_scanned_are_the_bytes_read(xlsx):
    assert scan_file(xlsx).content == xlsx.read_bytes()


def test_a_refused_file_keeps_the_bytes_it_was_judged_on(tmp_path):
    path = tmp_path / "SDN.xlsx"
    path.write_text("ref,status\n")
    scan = scan_file(path)
    assert [i.code for i in scan.issues] == ["csv-not-workbook"] and scan.content == b"ref,status\n"


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_stored_and_deflated_parts_are_judged_alike(xlsx, tmp_path, compression):
    assert inspect_file(rewrite(xlsx, tmp_path / "z.xlsx", compression=compression)) == []
    far = rewrite(
        xlsx,
        tmp_path / "far.xlsx",
        replace={SHEET: (b'<c r="B2"', b'<c r="xfd2"')},
        compression=compression,
    )
    assert [i.code for i in inspect_file(far)] == ["used-range-too-large"]


def test_forbidden_characters_in_shared_strings_are_noticed(tmp_path):
    """xlsxwriter (like Excel) keeps text in the shared strings part, not in the sheet."""
    path = tmp_path / "shared.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        wb.add_worksheet("Matrix").write("A1", "BELL here")
    assert scan_file(path).forbidden_characters is False
    bell = edit_part(
        path,
        tmp_path / "bell.xlsx",
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(b"BELL", b"&#x7;"),
    )
    scan = scan_file(bell)
    assert scan.issues == [] and scan.forbidden_characters is True


def test_forbidden_characters_in_inline_strings_are_noticed(xlsx, tmp_path):
    path = rewrite(
        xlsx, tmp_path / "inline.xlsx", replace={SHEET: (b"<t>Ref</t>", b"<t>Re&#7;f</t>")}
    )
    assert scan_file(path).forbidden_characters is True
