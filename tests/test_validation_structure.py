"""Columns found by their header, not position; renamed and deleted sheets, deleted columns and
rows, duplicated and unknown refs, and edited locked cells are each reported."""

from __future__ import annotations

import openpyxl

from checkout import SUDAN
from matrix.excel import layout
from matrix.validation import validate_file
from validation_helpers import (
    columns,
    fill_good,
    header,
    issues_of,
    make_matrix,
    ref_rows,
    sheet_of,
)


def filled(tmp_path, lang="en"):
    plan, path = make_matrix(tmp_path, SUDAN, lang=lang)
    fill_good(path, plan, lang=lang)
    return plan, path


def edit(path, change):
    wb = openpyxl.load_workbook(path)
    change(wb, sheet_of(wb, "SDN"))
    wb.save(path)


def swap_columns(ws, a: int, b: int) -> None:
    """Swap two columns of the table (the title and subtitle above it span every column)."""
    for row in range(layout.HEADER_ROW, ws.max_row + 1):
        first, second = ws.cell(row, a), ws.cell(row, b)
        first.value, second.value = second.value, first.value


def test_reordered_columns_still_read_correctly(tmp_path):
    plan, path = filled(tmp_path)
    before = validate_file(plan, path).rows

    def reorder(wb, ws):
        cols = columns(ws)
        swap_columns(ws, cols["actual"], cols["comments"])
        swap_columns(ws, cols["status"], cols["ref"])

    edit(path, reorder)
    after = validate_file(plan, path)
    assert after.issues == []
    assert [(r.ref, r.status, r.actual, r.comments) for r in after.rows] == [
        (r.ref, r.status, r.actual, r.comments) for r in before
    ]


def test_headers_in_another_language_are_recognised(tmp_path):
    plan, path = filled(tmp_path)

    def translate(wb, ws):
        cols = columns(ws)
        ws.cell(3, cols["actual"]).value = header("fr", "actual")
        ws.cell(3, cols["status"]).value = "  " + header("es", "status").upper() + " "

    edit(path, translate)
    assert issues_of(plan, path) == set()


def test_input_column_deleted_is_an_error(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: ws.delete_cols(columns(ws)["actual"]))
    result = validate_file(plan, path)
    assert [(i.code, i.sheet, i.cell) for i in result.issues] == [
        ("column-missing", "Matrix", None)
    ]
    assert "'Actual value' is missing from the header row (row 3)" in result.issues[0].message
    assert result.rows == []


def test_plan_column_deleted_is_a_warning(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: ws.delete_cols(columns(ws)["partners"]))
    result = validate_file(plan, path)
    assert [(i.code, i.severity.value, i.cell) for i in result.issues] == [
        ("plan-column-missing", "warning", None)
    ]
    assert result.accepted and len(result.rows) == 16


def test_duplicated_column(tmp_path):
    plan, path = filled(tmp_path)

    def duplicate(wb, ws):
        ws.cell(3, columns(ws)["next_steps"]).value = header("en", "status")

    edit(path, duplicate)
    codes = {code for code, _, _ in issues_of(plan, path)}
    assert {"column-duplicated", "column-missing"} <= codes


def test_renamed_sheet_is_recognised_with_a_warning(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: setattr(ws, "title", "Sudan Q3"))
    result = validate_file(plan, path)
    assert [(i.code, i.sheet) for i in result.issues] == [("sheet-renamed", "Sudan Q3")]
    assert len(result.rows) == 16 and result.accepted


def test_deleted_matrix_sheet(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: wb.remove(ws))
    result = validate_file(plan, path)
    assert [i.code for i in result.issues] == ["sheet-missing"]
    assert "'Matrix'" in result.issues[0].message


def test_header_row_deleted(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: ws.delete_rows(3))
    codes = [code for code, _, _ in issues_of(plan, path)]
    assert codes == ["header-row-missing"]


def test_rows_inserted_above_the_header_are_harmless(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: ws.insert_rows(1, 2))
    result = validate_file(plan, path)
    assert result.issues == [] and len(result.rows) == 16


def test_duplicated_ref(tmp_path):
    plan, path = filled(tmp_path)
    ws = openpyxl.load_workbook(path)["Matrix"]
    copy_at = f"{openpyxl.utils.get_column_letter(columns(ws)['ref'])}{ref_rows(ws)['AP1-2']}"

    def duplicate(wb, ws):
        ws[copy_at].value = "AP1-1"

    edit(path, duplicate)
    assert issues_of(plan, path) == {
        ("duplicate-ref", "Matrix", copy_at),
        ("plan-row-missing", "Matrix", None),
    }


def test_unknown_ref_with_values(tmp_path):
    plan, path = filled(tmp_path)

    def add_row(wb, ws):
        cols = columns(ws)
        row = ws.max_row + 1
        ws.cell(row, cols["ref"]).value = "AP9-9"
        ws.cell(row, cols["status"]).value = "On track"

    edit(path, add_row)
    assert {code for code, _, _ in issues_of(plan, path)} == {"unknown-ref"}


def test_row_without_ref_but_with_values(tmp_path):
    plan, path = filled(tmp_path)

    def add_row(wb, ws):
        ws.cell(ws.max_row + 2, columns(ws)["actual"]).value = 5

    edit(path, add_row)
    assert {code for code, _, _ in issues_of(plan, path)} == {"row-without-ref"}


def test_deleted_plan_row(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: ws.delete_rows(ref_rows(ws)["AP3-1"]))
    result = validate_file(plan, path)
    assert [(i.code, i.value) for i in result.issues] == [("plan-row-missing", "AP3-1")]
    assert "Train border and police officials" in result.issues[0].message


def test_edited_locked_cell_reports_old_and_new_value(tmp_path):
    plan, path = filled(tmp_path)

    def lower_target(wb, ws):
        ws.cell(ref_rows(ws)["AP3-1"], columns(ws)["target"]).value = 80

    edit(path, lower_target)
    [issue] = validate_file(plan, path).issues
    assert issue.code == "locked-cell-edited" and issue.value == "80"
    assert (
        issue.message
        == "Target of AP3-1 was changed from '120' to '80'; cells in grey come from the plan: put "
        "back '120' (ask the coordinator if the plan is wrong)"
    )


def test_edited_locked_text_and_date_cells(tmp_path):
    plan, path = filled(tmp_path, lang="fr")

    def edits(wb, ws):
        rows, cols = ref_rows(ws), columns(ws)
        ws.cell(rows["AP1-1"], cols["activity"]).value = "Something else"
        ws.cell(rows["AP1-2"], cols["end"]).value = None

    edit(path, edits)
    found = {(i.code, i.value) for i in validate_file(plan, path).issues}
    assert found == {("locked-cell-edited", "Something else"), ("locked-cell-edited", None)}


def test_protection_removed_is_a_warning(tmp_path):
    plan, path = filled(tmp_path)
    edit(path, lambda wb, ws: setattr(ws.protection, "sheet", False))
    result = validate_file(plan, path)
    assert [(i.code, i.sheet, i.severity.value) for i in result.issues] == [
        ("sheet-unprotected", "Matrix", "warning")
    ]
    assert result.accepted


def test_mistyped_ref_gets_a_suggestion(tmp_path):
    plan, path = filled(tmp_path)

    def mistype(wb, ws):
        ws.cell(ref_rows(ws)["AP3-1"], columns(ws)["ref"]).value = "AP3-l"

    edit(path, mistype)
    issues = {i.code: i for i in validate_file(plan, path).issues}
    assert set(issues) == {"unknown-ref", "plan-row-missing"}
    assert (
        "did you mean 'AP3-1'?" in issues["unknown-ref"].message
        and issues["unknown-ref"].fix == "AP3-1"
    )
