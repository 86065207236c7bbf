"""Reading the zip package: bombs judged by the directory before inflating, other packages
refused, members checked against their directory entry and CRC, entities refused, the workbook
part read."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hostile_helpers import edit_part, refusal_codes, small_workbook
from matrix.excel.safety import archive, inspect_file
from matrix.excel.safety.archive import chunks, open_zip, workbook_sheets
from validation_helpers import SHEET, rewrite


@pytest.fixture
def xlsx(tmp_path) -> Path:
    return small_workbook(tmp_path / "book.xlsx", hidden_sheet=True)


def test_workbook_sheets_in_order_with_their_parts_and_states(xlsx):
    sheets, date1904 = workbook_sheets(open_zip(xlsx.read_bytes(), "book.xlsx"))
    assert [(s.name, s.part, s.state) for s in sheets] == [
        ("Matrix", "xl/worksheets/sheet1.xml", "visible"),
        ("Lists", "xl/worksheets/sheet2.xml", "hidden"),
    ]
    assert date1904 is False


def test_the_1904_date_system_is_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.save(tmp_path / "mac.xlsx")
    assert workbook_sheets(open_zip((tmp_path / "mac.xlsx").read_bytes(), "mac.xlsx"))[1] is True


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_members_read_in_chunks_are_the_members(xlsx, tmp_path, monkeypatch, compression):
    monkeypatch.setattr(archive, "CHUNK", 100)
    path = rewrite(xlsx, tmp_path / "z.xlsx", compression=compression)
    zip_ = open_zip(path.read_bytes(), "z.xlsx")
    with zipfile.ZipFile(path) as plain:
        assert b"".join(chunks(zip_, SHEET)) == plain.read(SHEET)


def test_truncated_download(xlsx, tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(xlsx.read_bytes()[: xlsx.stat().st_size // 2])
    assert refusal_codes(path) == ["truncated-file"]


@pytest.mark.parametrize(
    ("members", "code"),
    [
        ({"notes.txt": "hello"}, "not-a-workbook"),
        (
            {"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"},
            "not-a-workbook",
        ),
        (
            {
                "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": "<office:document-content/>",
            },
            "ods-not-workbook",
        ),
        (
            {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\x00"},
            "xlsb-not-workbook",
        ),
    ],
)
def test_other_zip_packages(tmp_path, members, code):
    path = tmp_path / "SDN.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    assert refusal_codes(path) == [code]


def test_macro_enabled_by_vba_part(xlsx, tmp_path):
    path = rewrite(
        xlsx, tmp_path / "SDN.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}
    )
    assert refusal_codes(path) == ["macro-enabled"]


def test_macro_enabled_by_content_type(xlsx, tmp_path):
    path = rewrite(
        xlsx,
        tmp_path / "SDN.xlsx",
        replace={
            "[Content_Types].xml": (
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                archive.MACRO_CONTENT_TYPE,
            )
        },
    )
    assert refusal_codes(path) == ["macro-enabled"]


def test_a_workbook_part_where_no_check_looks_is_refused(xlsx, tmp_path):
    """The package's pointer to its workbook sends a reader that follows it to other sheets."""
    with zipfile.ZipFile(xlsx) as z:
        elsewhere = {
            name.replace("xl/", "alt/", 1): z.read(name)
            for name in z.namelist()
            if name.startswith("xl/")
        }
    path = rewrite(
        xlsx,
        tmp_path / "alt.xlsx",
        add=elsewhere,
        replace={"_rels/.rels": (b'Target="xl/workbook.xml"', b'Target="alt/workbook.xml"')},
    )
    [issue] = inspect_file(path)
    assert issue.code == "damaged-file" and "alt/workbook.xml" in issue.message


def test_an_absolute_workbook_target_is_the_same_part(xlsx, tmp_path):
    path = rewrite(
        xlsx,
        tmp_path / "abs.xlsx",
        replace={"_rels/.rels": (b'Target="xl/workbook.xml"', b'Target="/xl/./workbook.xml"')},
    )
    assert refusal_codes(path) == []


def test_zip_bomb_by_compression_ratio(xlsx, tmp_path):
    # a few MB of zeros compress to a few KB: refused from the zip directory, never inflated
    path = rewrite(xlsx, tmp_path / "bomb.xlsx", add={"xl/media/zeros.bin": b"\0" * (4 * 2**20)})
    assert path.stat().st_size < 100_000
    assert refusal_codes(path) == ["zip-bomb"]


def test_zip_bomb_by_declared_size(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "huge.xlsx")
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")  # first central directory entry: declare 4 GB uncompressed
    struct.pack_into("<I", data, entry + 24, 0xFFFFFFF0)
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["zip-bomb"]


def test_opendocument_bomb_is_judged_before_reading(tmp_path):
    path = tmp_path / "SDN.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"\0" * (4 * 2**20))
    assert refusal_codes(path) == ["zip-bomb"]


def test_member_larger_than_declared_is_damaged(xlsx, tmp_path):
    """A directory entry that under-declares a part: zipfile stops there and the CRC check fails."""
    path = rewrite(xlsx, tmp_path / "liar.xlsx")
    with zipfile.ZipFile(path) as z:
        half = z.getinfo(SHEET).file_size // 2
    data = bytearray(path.read_bytes())
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = data.find(signature)
        while start >= 0:
            if bytes(data[start + name_at : start + name_at + len(SHEET)]) == SHEET.encode():
                struct.pack_into("<I", data, start + size_at, half)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["damaged-file"]


def test_corrupted_part_is_damaged(xlsx, tmp_path):
    path = rewrite(xlsx, tmp_path / "crc.xlsx", compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"<sheetData>")
    data[at + 1 : at + 2] = b"S"  # one flipped byte: the CRC no longer matches
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["damaged-file"]


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    "part", ["xl/styles.xml", "_rels/.rels", "docProps/app.xml", "xl/workbook.xml"]
)
def test_entity_declarations_in_any_part(xlsx, tmp_path, part):
    path = edit_part(xlsx, tmp_path / "lol.xlsx", part, lambda xml: BILLION_LAUGHS + xml)
    assert refusal_codes(path) == ["xml-entities"]


def test_entity_declarations_in_added_shared_strings(xlsx, tmp_path):
    path = rewrite(
        xlsx, tmp_path / "ss.xlsx", add={"xl/sharedStrings.xml": BILLION_LAUGHS + b"<sst/>"}
    )
    assert refusal_codes(path) == ["xml-entities"]
