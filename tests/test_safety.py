"""Broken and hostile files are refused before any parser runs, each with its own code."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from matrix.excel import safety
from matrix.excel.safety import inspect_file, scan_file
from validation_helpers import SHEET, rewrite


def codes(path: Path) -> list[str]:
    return [issue.code for issue in inspect_file(path)]


@pytest.fixture
def xlsx(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    wb.active["A1"] = "Ref"
    wb.active["B2"] = 12
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path




def test_a_plain_workbook_passes_and_reports_its_sheets(xlsx):
    scan = scan_file(xlsx)
    assert scan.issues == []
    assert list(scan.sheets) == ["Matrix"]
    assert scan.date1904 is False


def test_zero_byte_file(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert codes(tmp_path / "empty.xlsx") == ["file-empty"]


def test_legacy_xls(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(safety.OLE2_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 1024)
    assert codes(path) == ["legacy-xls"]


def test_encrypted_workbook_is_told_apart_from_xls(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(safety.OLE2_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024)
    assert codes(path) == ["encrypted-workbook"]


def test_csv_renamed_xlsx(tmp_path):
    path = tmp_path / "SDN.xlsx"
    path.write_text("Ref,Status,Actual value\nAP1-1,On track,12\n", encoding="utf-8")
    assert codes(path) == ["csv-not-workbook"]


def test_utf16_text_export(tmp_path):
    path = tmp_path / "SDN.xlsx"
    path.write_bytes("Ref\tStatus\r\nAP1-1\tOn track\r\n".encode("utf-16"))
    assert codes(path) == ["csv-not-workbook"]


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "SDN.xls"
    path.write_text("<html><body><table><tr><td>Ref</td></tr></table></body></html>")
    assert codes(path) == ["html-not-workbook"]


def test_binary_junk(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert codes(path) == ["not-a-workbook"]


def test_truncated_download(xlsx, tmp_path):
    data = xlsx.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert codes(path) == ["truncated-file"]


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
    assert codes(path) == ["not-a-workbook"]


def test_opendocument_spreadsheet(tmp_path):
    path = tmp_path / "SDN.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert codes(path) == ["ods-not-workbook"]


def test_macro_enabled_by_vba_part(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "SDN.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert codes(path) == ["macro-enabled"]


def test_macro_enabled_by_content_type(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "SDN.xlsx", replace={"[Content_Types].xml": (
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        safety.MACRO_CONTENT_TYPE)})
    assert codes(path) == ["macro-enabled"]


def test_zip_bomb_by_compression_ratio(xlsx, tmp_path):
    # a few MB of zeros compress to a few KB: refused from the zip directory, never inflated
    path = rewrite(xlsx, tmp_path / "bomb.xlsx", add={"xl/media/zeros.bin": b"\0" * (4 * 2**20)})
    assert path.stat().st_size < 100_000
    assert codes(path) == ["zip-bomb"]


def test_zip_bomb_by_declared_size(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "huge.xlsx")
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")  # first central directory entry: declare 4 GB uncompressed
    struct.pack_into("<I", data, entry + 24, 0xFFFFFFF0)
    path.write_bytes(bytes(data))
    assert codes(path) == ["zip-bomb"]


def test_member_larger_than_declared_is_damaged(xlsx, tmp_path):
    """A directory entry that under-declares a part: zipfile stops there and the CRC check fails."""
    path = rewrite(xlsx, tmp_path / "liar.xlsx")
    with zipfile.ZipFile(path) as z:
        half = z.getinfo(SHEET).file_size // 2
    data = bytearray(path.read_bytes())
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = data.find(signature)
        while start >= 0:
            if bytes(data[start + name_at: start + name_at + len(SHEET)]) == SHEET.encode():
                struct.pack_into("<I", data, start + size_at, half)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    assert codes(path) == ["damaged-file"]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def test_entity_bomb_in_a_sheet_part(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "lol.xlsx", replace={SHEET: (b"<worksheet", BILLION_LAUGHS + b"<worksheet")})
    assert codes(path) == ["xml-entities"]


def test_entity_declaration_in_shared_strings(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "text"
    src = tmp_path / "s.xlsx"
    wb.save(src)
    path = rewrite(src, tmp_path / "ss.xlsx", add={"xl/sharedStrings.xml": BILLION_LAUGHS + b"<sst/>"})
    assert codes(path) == ["xml-entities"]


def test_value_in_the_last_cell_of_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    wb.active["A1"] = "Ref"
    wb.active["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    [issue] = inspect_file(path)
    assert (issue.code, issue.sheet) == ("used-range-too-large", "Matrix")
    assert "XFD1048576" in issue.message


@pytest.mark.parametrize("cell", ["XFD2", "A1048576", "BI1", "A20001"])
def test_cells_beyond_the_template_limits(tmp_path, cell):
    wb = openpyxl.Workbook()
    wb.active[cell] = 1
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert codes(path) == ["used-range-too-large"]


def test_cells_at_the_limits_are_fine(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["BH20000"] = 1
    path = tmp_path / "edge.xlsx"
    wb.save(path)
    assert codes(path) == []


def test_huge_dimension_alone_is_refused(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "dim.xlsx", replace={SHEET: (b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD1048576"')})
    assert codes(path) == ["used-range-too-large"]


def test_cells_without_references(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "noref.xlsx", replace={SHEET: (b'<c r="B2"', b"<c")})
    assert codes(path) == ["cells-without-reference"]


def test_error_cells_and_date_system_are_collected(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    wb.active["C4"] = "#REF!"
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    scan = scan_file(path)
    assert scan.issues == []
    assert scan.sheets["Matrix"].errors == {"C4": "#REF!"}
    assert scan.date1904 is True


def test_missing_file_is_an_issue_not_an_exception(tmp_path):
    assert codes(tmp_path / "gone.xlsx") == ["file-unreadable"]


@pytest.mark.parametrize("written", [b'<c\nr="XFD1048576"', b'<c\tr="XFD1048576"', b"<c r='XFD1048576'",
                                     b'<c r = "XFD1048576"', b'<c\r\nr=\n"XFD1048576"'])
def test_far_cell_written_unusually_is_still_found(xlsx, tmp_path, written):
    path = rewrite(xlsx, tmp_path / "ws.xlsx", replace={SHEET: (b'<c r="B2"', written)})
    assert codes(path) == ["used-range-too-large"]


def test_cell_reference_hidden_in_entities(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "ent.xlsx", replace={SHEET: (b'<c r="B2"', b'<c r="&#88;FD1048576"')})
    assert codes(path) == ["damaged-file"]


def test_opendocument_bomb_is_judged_before_reading(tmp_path):
    path = tmp_path / "SDN.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"\0" * (4 * 2**20))
    assert codes(path) == ["zip-bomb"]


def test_file_larger_than_a_matrix_can_be(xlsx, monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    assert codes(xlsx) == ["file-too-large"]


def test_binary_workbook(tmp_path):
    path = tmp_path / "SDN.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert codes(path) == ["xlsb-not-workbook"]
