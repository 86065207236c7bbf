"""Scanning worksheet XML: values beyond the template refused in every spelling calamine accepts,
formatting and hints that are not data accepted, the facts calamine cannot see collected."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from hostile_helpers import (
    before_sheet_end,
    edit_part,
    in_last_row,
    prefixed,
    refusal_codes,
    small_workbook,
    styled_empty_rows,
    value_cell,
)
from matrix.excel.safety import archive, inspect_file, scan_file
from matrix.excel.safety.sheets import has_forbidden_characters
from validation_helpers import SHEET, rewrite


@pytest.fixture
def xlsx(tmp_path) -> Path:
    return small_workbook(tmp_path / "book.xlsx", protected=True)


def edited(xlsx: Path, edit) -> Path:
    return edit_part(xlsx, xlsx.with_name("edited.xlsx"), SHEET, edit)


# --- values beyond the template ----------------------------------------------------------------


def test_value_in_the_last_cell_of_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    wb.active["XFD1048576"] = "x"
    wb.save(tmp_path / "far.xlsx")
    [issue] = inspect_file(tmp_path / "far.xlsx")
    assert (issue.code, issue.sheet) == ("used-range-too-large", "Matrix")
    assert "XFD1048576" in issue.message


@pytest.mark.parametrize("cell", ["XFD2", "A1048576", "BI1", "A20001"])
def test_cells_beyond_the_template_limits(tmp_path, cell):
    wb = openpyxl.Workbook()
    wb.active[cell] = 1
    wb.save(tmp_path / "far.xlsx")
    assert refusal_codes(tmp_path / "far.xlsx") == ["used-range-too-large"]


def test_cells_at_the_limits_are_fine(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["BH20000"] = 1
    wb.save(tmp_path / "edge.xlsx")
    assert refusal_codes(tmp_path / "edge.xlsx") == []


@pytest.mark.parametrize(
    "ref",
    [
        "xfd1048576",
        "dz40000",
        "Xfd2",
        "bi1",
        "a20001",
        "$XFD$1048576",
        "XFD$2",
        "A" + "0" * 30 + "1048576",
        "ABCDE2",
    ],
)
def test_references_in_any_spelling_a_reader_accepts(xlsx, ref):
    """In an ordinary row: calamine honours lower case (and some readers `$`) wherever it is."""
    assert refusal_codes(edited(xlsx, in_last_row(value_cell(ref)))) == ["used-range-too-large"]


@pytest.mark.parametrize("ref", ["bh20000", "a1", "$B$3"])
def test_lower_case_references_within_the_template_are_fine(xlsx, ref):
    assert refusal_codes(edited(xlsx, in_last_row(value_cell(ref)))) == []


@pytest.mark.parametrize(
    "written",
    [
        b'<c\nr="XFD1048576"',
        b'<c\tr="XFD1048576"',
        b"<c r='XFD1048576'",
        b'<c r = "XFD1048576"',
        b'<c\r\nr=\n"xfd1048576"',
        b'<c s="1" r="XFD2"',
        b'<c s="1" r= "XFD2"',
        b'<x:c r ="XFD2"',
    ],
)
def test_far_cell_written_unusually_is_still_found(xlsx, tmp_path, written):
    path = rewrite(xlsx, tmp_path / "ws.xlsx", replace={SHEET: (b'<c r="B2"', written)})
    assert refusal_codes(path) == ["used-range-too-large"]


def test_a_value_hidden_behind_an_attribute_that_looks_like_an_end_is_found(xlsx):
    """'>' is allowed inside an attribute value: the cell still holds a value."""
    cell = b'<c r="XFD1048576" foo="/>"><v>1</v></c>'
    assert refusal_codes(edited(xlsx, in_last_row(cell))) == ["used-range-too-large"]


def test_namespace_prefixed_sheet_is_read_and_judged(xlsx):
    plain = edited(xlsx, prefixed)
    assert b"<x:c " in _sheet_xml(plain)
    scan = scan_file(plain)
    assert scan.issues == [] and scan.sheets["Matrix"].protected
    far = edit_part(
        xlsx,
        xlsx.with_name("far.xlsx"),
        SHEET,
        lambda xml: prefixed(in_last_row(value_cell("xfd1048576"))(xml)),
    )
    assert refusal_codes(far) == ["used-range-too-large"]


def test_cell_reference_hidden_in_entities(xlsx, tmp_path):
    path = rewrite(
        xlsx, tmp_path / "ent.xlsx", replace={SHEET: (b'<c r="B2"', b'<c r="&#88;FD1048576"')}
    )
    assert refusal_codes(path) == ["damaged-file"]


@pytest.mark.parametrize("cell", [b"<c", b'<c s="1"', b'<c x:r="XFD1048576"', b'<c R="A1"'])
def test_cells_without_references(xlsx, tmp_path, cell):
    path = rewrite(xlsx, tmp_path / "noref.xlsx", replace={SHEET: (b'<c r="B2"', cell)})
    assert refusal_codes(path) == ["cells-without-reference"]


def test_prefixed_cells_without_references(xlsx):
    path = edit_part(
        xlsx,
        xlsx.with_name("noref.xlsx"),
        SHEET,
        lambda xml: prefixed(xml.replace(b'<c r="B2"', b"<c")),
    )
    assert refusal_codes(path) == ["cells-without-reference"]


# --- formatting and hints are not data ---------------------------------------------------------


def test_formatting_dragged_down_is_not_data(xlsx):
    path = edited(xlsx, before_sheet_end(styled_empty_rows(3, 30_000)))
    assert refusal_codes(path) == []


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="XFD1048576" s="3"/>',
        b'<c r="xfd1048576" s="3" t="inlineStr"/>',
        b'<c r="XFD1048576" s="3"></c>',
        b'<c r="XFD1048576" s = "3" >\n</c>',
    ],
)
def test_styled_empty_cells_anywhere_are_not_data(xlsx, cell):
    assert refusal_codes(edited(xlsx, in_last_row(cell))) == []


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="XFD1048576" t="str"><v></v></c>',
        b'<c r="XFD1048576" t="d"><v/></c>',
        b'<c r="XFD1048576" t="inlineStr"><is><t></t></is></c>',
        b'<c r="XFD1048576"><f>1+1</f></c>',
    ],
)
def test_empty_looking_cells_that_hold_something_are_values(xlsx, cell):
    """calamine places an empty string, date or formula: as big an allocation as a number."""
    assert refusal_codes(edited(xlsx, in_last_row(cell))) == ["used-range-too-large"]


def test_empty_rows_far_below_are_not_data(xlsx):
    rows = b"".join(
        b'<row r="%d" s="1" customFormat="1" ht="20" customHeight="1"/>' % r
        for r in (40_000, 1_048_576)
    )
    assert refusal_codes(edited(xlsx, before_sheet_end(rows))) == []


def test_a_dimension_claiming_the_whole_sheet_is_only_a_hint(xlsx, tmp_path):
    path = rewrite(
        xlsx,
        tmp_path / "dim.xlsx",
        replace={SHEET: (b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD1048576"')},
    )
    assert refusal_codes(path) == []


@pytest.mark.parametrize("chunk", [4096, 5000, 2**20])
def test_parts_scanned_in_chunks_miss_nothing(tmp_path, monkeypatch, chunk):
    """A sheet larger than a chunk is scanned in pieces of whole rows: a far value in the last
    piece, or an error cell, is found wherever the cut falls."""
    monkeypatch.setattr(archive, "CHUNK", chunk)
    assert refusal_codes(_long_sheet(tmp_path, "C300")) == []
    assert refusal_codes(_long_sheet(tmp_path, "C20001")) == ["used-range-too-large"]
    assert scan_file(_long_sheet(tmp_path, "C300", error_at="D350")).sheets["Matrix"].errors == {
        "D350": "#REF!"
    }


# --- facts calamine cannot see -----------------------------------------------------------------


def test_error_cells_are_collected_in_any_case(xlsx):
    path = edited(
        xlsx, in_last_row(b'<c r="c2" t="e"><v>#DIV/0!</v></c><c r="D2" t="e"><v>#REF!</v></c>')
    )
    assert scan_file(path).sheets["Matrix"].errors == {"C2": "#DIV/0!", "D2": "#REF!"}


def test_protection_and_validations_are_seen(xlsx):
    facts = scan_file(xlsx).sheets["Matrix"]
    assert facts.protected and not facts.validations


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b"<t>On track</t>", False),
        (b"<t>tab\tand\r\nlines &#9;&#10;&#xD; &amp; &lt;</t>", False),
        (b"<t>bell\x07</t>", True),
        (b"<t>bell&#x7;</t>", True),
        (b"<t>bell&#7;</t>", True),
        (b"<t>escape&#x0000001F;</t>", True),
        (b"<t>bell_x0007_</t>", True),
        (b"<t>noncharacter\xef\xbf\xbe</t>", True),
        (b"<t>noncharacter&#xFFFF;</t>", True),
        (b"<t>M&amp;E &#233; \xef\xbf\xbd</t>", False),
    ],
)
def test_characters_xml_forbids_are_noticed_in_every_spelling(xml, found):
    assert has_forbidden_characters(xml) is found


def _long_sheet(tmp_path: Path, last: str, error_at: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    for row in range(1, 400):
        wb.active.cell(row, 1, f"AP1-{row}")
        wb.active.cell(row, 2, row)
    wb.active[last] = "x"
    if error_at:
        wb.active[error_at] = "#REF!"
    path = tmp_path / "long.xlsx"
    wb.save(path)
    return path


def _sheet_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive_file:
        return archive_file.read(SHEET)
