"""Excel's naming and addressing rules, checked against the libraries that know them."""

from __future__ import annotations

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import column_index_from_string, get_column_letter

from matrix.excel.addresses import column_letters, column_number, quoted, row_and_column, sheet_name

EXCEL_COLUMNS = 16_384  # XFD


def test_sheet_names_are_valid_and_unique():
    taken = {"matrix"}
    assert sheet_name("Matrix", taken) == "Matrix (2)"
    assert sheet_name("a/b:c*d?[e]\\f", taken) == "a b c d e f"
    assert sheet_name("Return / readmission", taken) == "Return readmission"
    assert sheet_name("Tanzania, United Republic of (the long name)", taken) == "Tanzania"
    assert sheet_name("تنزانيا، جمهورية تنزانيا المتحدة (الاسم الطويل)", taken) == "تنزانيا"
    long = sheet_name("x" * 40, taken)
    assert long == "x" * 31 and sheet_name("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("?*", taken) == "Sheet"
    assert (
        sheet_name("x" * 30 + "'s plan", taken) == "x" * 30
    )  # no quote left at the end by the cut
    assert sheet_name("MATRIX", taken) == "MATRIX (3)"  # unique ignoring case, as Excel compares
    assert sheet_name("\U0001f600" * 20, taken) == "\U0001f600" * 15  # Excel counts UTF-16 units


@given(
    texts=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=50), min_size=1, max_size=8
    )
)
def test_every_sheet_name_is_one_excel_accepts(texts, tmp_path_factory):
    """xlsxwriter refuses names Excel would refuse (length, characters, quotes, duplicates)."""
    book = xlsxwriter.Workbook(str(tmp_path_factory.getbasetemp() / "never-written.xlsx"))
    taken: set[str] = set()
    for text in texts:
        book.add_worksheet(sheet_name(text, taken))
    assert len(taken) == len(texts)


def test_sheet_names_are_quoted_for_formulas_and_links():
    assert quoted("Matrix") == "'Matrix'"
    assert quoted("Bob's sheet") == "'Bob''s sheet'"


def test_column_letters_agree_with_openpyxl_over_every_excel_column():
    for number in range(1, EXCEL_COLUMNS + 1):
        letters = get_column_letter(number)
        assert column_letters(number) == letters
        assert column_number(letters) == column_index_from_string(letters)


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("A1", (1, 1)),
        ("BH20000", (20_000, 60)),
        ("XFD1048576", (1_048_576, 16_384)),
        ("", (0, 0)),
    ],
)
def test_row_and_column_of_a_reference(ref, expected):
    assert row_and_column(ref) == expected
