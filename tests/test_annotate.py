"""The annotated copy: problem cells filled and noted, a Feedback sheet linking to them, payloads
kept as text, the original untouched, unreadable files refused; marked as feedback until the
office saves it; names unique per source."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest

from checkout import SUDAN, require_tool
from libreoffice_helpers import calc_convert
from matrix.annotate import FILLS, MARK, annotate, feedback_source, feedback_targets
from matrix.errors import MatrixError
from matrix.i18n import t
from matrix.models.issues import Severity
from matrix.validation import validate_file
from validation_helpers import columns, fill, fill_good, make_matrix, ref_rows, rewrite, sheet_of

FEEDBACK_SHEET = t("en", "feedback.sheet")


@pytest.fixture
def returned(tmp_path):
    plan, path = make_matrix(tmp_path / "returns", SUDAN)
    fill_good(path, plan)
    fill(
        path,
        {
            "AP3-1": {"actual": "about 40"},
            "AP1-1": {"actual": 37},
            "AP1-2": {"comments": "=cmd|' /C calc'!A0"},
        },
    )
    wb = openpyxl.load_workbook(
        path
    )  # the payload as text, the way Excel stores '=... typed with a quote
    ws = sheet_of(wb, "SDN")
    ws.cell(ref_rows(ws)["AP1-2"], columns(ws)["comments"]).data_type = "s"
    wb.save(path)
    return plan, path, validate_file(plan, path)


def cell_ref(path, ref, key):
    ws = openpyxl.load_workbook(path)["Matrix"]
    return f"{openpyxl.utils.get_column_letter(columns(ws)[key])}{ref_rows(ws)[ref]}"


def test_problem_cells_are_filled_and_noted(returned, tmp_path):
    _plan, path, result = returned
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = annotate(result, path, tmp_path / "feedback")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    ws = openpyxl.load_workbook(out)["Matrix"]
    error_cell, warning_cell = (
        ws[cell_ref(path, "AP3-1", "actual")],
        ws[cell_ref(path, "AP1-1", "actual")],
    )
    assert error_cell.fill.start_color.rgb.endswith(FILLS[Severity.ERROR])
    assert "is not a number" in error_cell.comment.text
    assert warning_cell.fill.start_color.rgb.endswith(FILLS[Severity.WARNING])
    assert "more than 3 times the target" in warning_cell.comment.text
    assert ws[cell_ref(path, "AP1-2", "status")].comment is None


def test_feedback_sheet_lists_every_problem_with_links(returned, tmp_path):
    _, path, result = returned
    wb = openpyxl.load_workbook(annotate(result, path, tmp_path / "feedback"))
    assert wb.sheetnames[0] == FEEDBACK_SHEET and wb.active.title == FEEDBACK_SHEET
    ws = wb[FEEDBACK_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [(r[5], r[1], r[2]) for r in rows] == [(i.code, i.sheet, i.cell) for i in result.issues]
    link = ws.cell(5, 3).hyperlink
    assert link.location == f"'Matrix'!{result.issues[0].cell}"


def test_payloads_stay_text_in_the_copy(returned, tmp_path):
    _, path, result = returned
    out = annotate(result, path, tmp_path / "feedback")
    ws = openpyxl.load_workbook(out)["Matrix"]
    cell = ws[cell_ref(path, "AP1-2", "comments")]
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"
    feedback = openpyxl.load_workbook(out)[FEEDBACK_SHEET]
    assert all(
        c.data_type == "s"
        for row in feedback.iter_rows(min_row=4)
        for c in row
        if c.value is not None
    )


def test_annotating_again_replaces_the_old_feedback(returned, tmp_path):
    _, path, result = returned
    first = annotate(result, path, tmp_path / "one")
    again = annotate(result.model_copy(update={"file": str(first)}), first, tmp_path / "two")
    assert openpyxl.load_workbook(again).sheetnames.count(FEEDBACK_SHEET) == 1


def test_never_overwrites_a_file_it_did_not_write(returned, tmp_path):
    _, path, result = returned
    office_file = path.with_name(
        path.stem + "_feedback.xlsx"
    )  # an office's own file with that name
    office_file.write_bytes(path.read_bytes())
    with pytest.raises(MatrixError, match="not a feedback copy matrix wrote"):
        annotate(result, path, path.parent)
    assert office_file.read_bytes() == path.read_bytes()


def test_replaces_its_own_earlier_copy(returned, tmp_path):
    _, path, result = returned
    first = annotate(result, path, path.parent)
    assert annotate(result, path, path.parent) == first


def test_unreadable_file_gets_no_copy(tmp_path, sudan):

    bad = tmp_path / "SDN.xlsx"
    bad.write_text("ref,status\n")
    result = validate_file(sudan, bad)
    with pytest.raises(MatrixError, match="could not be read"):
        annotate(result, bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_libreoffice_opens_the_copy_and_keeps_the_feedback_sheet(returned, tmp_path):
    require_tool("soffice")  # before building anything
    plan, path, result = returned
    out = annotate(result, path, tmp_path / "feedback")
    assert validate_file(plan, out).skipped
    converted = calc_convert([out], tmp_path / "lo", tmp_path / "profile")
    wb = openpyxl.load_workbook(converted / out.name)
    assert (
        MARK in wb.custom_doc_props.names
    )  # LibreOffice keeps the mark, but the digest no longer matches:
    assert not validate_file(
        plan, converted / out.name
    ).skipped  # saved by the office, it is a return again
    assert wb.sheetnames[0] == FEEDBACK_SHEET
    assert wb[FEEDBACK_SHEET].cell(5, 6).value == result.issues[0].code
    ws = wb["Matrix"]
    assert ws[cell_ref(path, "AP3-1", "actual")].fill.start_color.rgb.endswith(
        FILLS[Severity.ERROR]
    )
    assert ws[cell_ref(path, "AP3-1", "actual")].comment is not None


def test_the_offices_own_notes_and_feedback_sheet_are_kept(returned, tmp_path):
    from openpyxl.comments import Comment

    plan, path, _ = returned
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, "SDN")
    ws.cell(ref_rows(ws)["AP3-1"], columns(ws)["actual"]).comment = Comment(
        "Figure from the May report", "office"
    )
    wb.create_sheet(FEEDBACK_SHEET)["A1"] = "Our own feedback to partners"
    wb.save(path)
    out = annotate(validate_file(plan, path), path, tmp_path / "feedback")
    copy = openpyxl.load_workbook(out)
    assert copy.sheetnames[0] == f"{FEEDBACK_SHEET} (matrix)"
    assert copy[FEEDBACK_SHEET]["A1"].value == "Our own feedback to partners"
    note = copy["Matrix"][cell_ref(path, "AP3-1", "actual")].comment.text
    assert note.startswith("Figure from the May report") and "is not a number" in note


def test_the_copy_is_marked_as_feedback_and_skipped(returned, tmp_path):
    plan, path, result = returned
    out = annotate(result, path, tmp_path / "feedback")
    assert feedback_source(out.read_bytes()) == path.name
    assert feedback_source(path.read_bytes()) is None
    again = validate_file(plan, out)
    assert again.skipped and not again.accepted and again.rows == []
    assert [(i.code, i.severity) for i in again.issues] == [("feedback-copy", Severity.WARNING)]
    assert f"made of {path.name}, not a return: it was skipped" in again.issues[0].message


def test_a_copy_the_office_corrected_and_saved_is_a_return(returned, tmp_path):
    plan, path, result = returned
    out = annotate(result, path, tmp_path / "feedback")
    corrected = fill(out, {"AP3-1": {"actual": 40}}, office="SDN", out=tmp_path / "corrected.xlsx")
    assert MARK in openpyxl.load_workbook(corrected).custom_doc_props.names
    again = validate_file(plan, corrected)
    assert not again.skipped and again.accepted
    assert "not-a-number" not in {i.code for i in again.issues}


def test_a_forged_or_damaged_mark_is_no_copy(returned, tmp_path):
    _, path, result = returned
    out = annotate(result, path, tmp_path / "feedback")
    forged = rewrite(
        out, tmp_path / "forged.xlsx", replace={"xl/workbook.xml": (b"<sheets>", b"<sheets> ")}
    )
    assert feedback_source(forged.read_bytes()) is None
    assert feedback_source(b"PK\x03\x04 not a zip") is None


def test_copies_of_returns_with_the_same_name_keep_their_folders(tmp_path):
    sources = [
        tmp_path / "in" / "kenya" / "return.xlsx",
        tmp_path / "in" / "tanzania" / "return.xlsx",
    ]
    assert feedback_targets(sources, tmp_path / "fb") == {
        sources[0]: tmp_path / "fb" / "kenya" / "return_feedback.xlsx",
        sources[1]: tmp_path / "fb" / "tanzania" / "return_feedback.xlsx",
    }
    one_folder = [
        tmp_path / "in" / "KEN.xlsx",
        tmp_path / "in" / "KEN.XLSX",
        tmp_path / "in" / "ETH.xlsx",
    ]
    assert [p.name for p in feedback_targets(one_folder, tmp_path / "fb").values()] == [
        "KEN_feedback.xlsx",
        "KEN_feedback (2).xlsx",
        "ETH_feedback.xlsx",
    ]
