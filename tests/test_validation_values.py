"""One test per value rule on the matrix sheet, each through a real generated workbook."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkout import SUDAN
from matrix.codes import Code
from matrix.i18n import status_label
from matrix.models.plan import Status
from matrix.validation import validate_file
from matrix.validation.values import NumberReading, read_number_text
from validation_helpers import columns, earlier, fill, fill_good, make_matrix, ref_rows, sheet_of


@pytest.fixture
def matrix(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    fill_good(path, plan)
    return plan, path


def cell_of(path, ref, key):
    ws = openpyxl.load_workbook(path)["Matrix"]
    return f"{openpyxl.utils.get_column_letter(columns(ws)[key])}{ref_rows(ws)[ref]}"


def check(matrix, ref, values, **kwargs):
    """Fill one row and validate: (issues as (code, cell) pairs, the row read back, all issues)."""
    plan, path = matrix
    fill(path, {ref: values})
    result = validate_file(plan, path, **kwargs)
    row = next(r for r in result.rows if r.ref == ref)
    return {(i.code, i.cell) for i in result.issues}, row, result.issues


# AP3-1: Officials trained, people, target 120, cumulative


@pytest.mark.parametrize(
    "typed",
    [
        "en bonne VOIE",
        "  On   track ",
        "on_track",
        status_label(Status.ON_TRACK, "es").upper(),
        " " + status_label(Status.ON_TRACK, "ar") + " ",
    ],
)
def test_status_in_any_language_case_and_spacing(matrix, typed):
    found, row, _ = check(matrix, "AP3-1", {"status": typed})
    assert found == set() and row.status is Status.ON_TRACK


def test_status_unknown(matrix):
    found, row, [issue] = check(matrix, "AP3-1", {"status": "Going well"})
    assert found == {("status-unknown", cell_of(matrix[1], "AP3-1", "status"))}
    assert row.status is None and '"Going well" is not a status;' in issue.message


def test_mistyped_status_gets_a_suggestion(matrix):
    _, _, [issue] = check(matrix, "AP3-1", {"status": "Compelted"})
    assert "\"Compelted\" is not a status; did you mean 'Completed'?" in issue.message
    assert issue.fix == "Completed"


def test_status_missing(matrix):
    found, _, _ = check(matrix, "AP3-1", {"status": None})
    assert found == {("status-missing", cell_of(matrix[1], "AP3-1", "status"))}


def test_actual_not_a_number(matrix):
    found, row, [issue] = check(matrix, "AP3-1", {"actual": "about 40"})
    assert found == {("actual-not-a-number", cell_of(matrix[1], "AP3-1", "actual"))}
    assert issue.message == Code.ACTUAL_NOT_A_NUMBER.message(
        text="about 40", what="the total to date in people as a whole number (Officials trained)"
    )
    assert issue.value == "about 40" and row.actual is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1,250", 1250), ("1 250", 1250), ("1\u00a0250", 1250), ("1.250,0", 1250), ("1,250.0", 1250)],
)
def test_numbers_from_text_are_read_with_a_warning(matrix, typed, read):
    found, row, [issue] = check(matrix, "AP2-1.1", {"actual": typed})
    assert found == {("number-from-text", cell_of(matrix[1], "AP2-1.1", "actual"))}
    assert row.actual == read
    assert issue.message == Code.NUMBER_FROM_TEXT.message(text=typed, number=format(read, ".15g"))


def test_plain_number_typed_as_text_is_fine(matrix):
    found, row, _ = check(matrix, "AP3-1", {"actual": "60"})
    assert found == set() and row.actual == 60


@pytest.mark.parametrize("typed", ["1,5", "1.250"])
def test_ambiguous_numbers_are_errors(matrix, typed):
    found, row, [_issue] = check(matrix, "AP3-1", {"actual": typed})
    assert found == {("number-ambiguous", cell_of(matrix[1], "AP3-1", "actual"))}
    assert row.actual is None


def test_negative_number(matrix):
    found, _row, _ = check(matrix, "AP3-1", {"actual": -5})
    assert found == {("number-negative", cell_of(matrix[1], "AP3-1", "actual"))}


def test_true_is_not_a_number(matrix):
    found, _, _ = check(matrix, "AP3-1", {"actual": True})
    assert found == {("actual-not-a-number", cell_of(matrix[1], "AP3-1", "actual"))}


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#N/A"])
def test_excel_error_cells(matrix, error):
    found, _, [issue] = check(matrix, "AP3-1", {"actual": error})
    assert found == {("cell-error", cell_of(matrix[1], "AP3-1", "actual"))}
    assert issue.value == error


def test_funds_secured_not_a_number(matrix):
    found, _, [issue] = check(matrix, "AP3-1", {"funds_secured": "USD 5,000"})
    assert found == {("not-a-number", cell_of(matrix[1], "AP3-1", "funds_secured"))}
    assert "funds secured in USD" in issue.message


@pytest.mark.parametrize("status", ["Delayed", "Cancelled"])
def test_delayed_or_cancelled_needs_a_comment(matrix, status):
    found, _, _ = check(matrix, "AP3-1", {"status": status, "comments": "  "})
    assert found == {("comment-required", cell_of(matrix[1], "AP3-1", "comments"))}


def test_completed_below_target(matrix):
    found, _, [issue] = check(matrix, "AP3-1", {"status": "Completed", "actual": 100})
    assert found == {("completed-below-target", cell_of(matrix[1], "AP3-1", "actual"))}
    assert issue.severity.value == "warning"


def test_actual_far_above_target(matrix):
    found, _, [issue] = check(matrix, "AP3-1", {"actual": 361})
    assert found == {("actual-far-above-target", cell_of(matrix[1], "AP3-1", "actual"))}
    assert "120" in issue.message and "people" in issue.message


def test_actual_three_times_target_is_fine(matrix):
    found, _, _ = check(matrix, "AP3-1", {"actual": 360})
    assert found == set()


def test_cumulative_actual_below_last_period(matrix):
    found, _, [issue] = check(
        matrix, "AP3-1", {"actual": 50}, previous=earlier({("SDN", "AP3-1"): 70.0})
    )
    assert found == {("actual-below-previous", cell_of(matrix[1], "AP3-1", "actual"))}
    assert issue.message == Code.ACTUAL_BELOW_PREVIOUS.message(actual="50", previous="70")


def test_previous_of_another_country_does_not_count(matrix):
    found, _, _ = check(matrix, "AP3-1", {"actual": 50}, previous=earlier({("ERI", "AP3-1"): 70.0}))
    assert found == set()


def test_actual_missing_while_on_track(matrix):
    found, _, _ = check(matrix, "AP3-1", {"actual": None})
    assert found == {("actual-missing", cell_of(matrix[1], "AP3-1", "actual"))}


def test_not_started_needs_no_actual(matrix):
    found, _, _ = check(matrix, "AP3-1", {"actual": None, "status": "Not started"})
    assert found == set()


def test_percent_formula_value_is_never_trusted(matrix):
    found, row, _ = check(matrix, "AP3-1", {"percent": 9.99, "actual": 30})
    assert found == set() and row.actual == 30


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://example.org/x","click")',
        "=cmd|' /C calc'!A0",
        "<script>alert('x')</script>",
        "+SUM(1,2)",
        "@SUM(A1)",
    ],
)
def test_formula_and_script_payloads_stay_plain_text(matrix, payload):
    plan, path = matrix
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, "SDN")
    cell = ws.cell(ref_rows(ws)["AP3-1"], columns(ws)["comments"])
    cell.value = payload
    cell.data_type = "s"
    wb.save(path)
    result = validate_file(plan, path)
    assert result.issues == []
    assert next(r for r in result.rows if r.ref == "AP3-1").comments == payload


@given(st.integers(min_value=1000, max_value=10**12))
def test_grouped_thousands_read_back_exactly(number):
    english = f"{number:,}"
    french = english.replace(",", "\u202f")
    assert read_number_text(english) == NumberReading(float(number), from_text=True)
    assert read_number_text(french) == NumberReading(float(number), from_text=True)
    assert read_number_text(str(number)) == NumberReading(float(number))


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=99))
def test_a_lone_decimal_comma_is_always_ambiguous(whole, fraction):
    reading = read_number_text(f"{whole},{fraction}")
    assert reading.value is None and reading.alternatives is not None


@pytest.mark.parametrize(
    "values", [{"actual": 50, "status": "Completed"}, {"actual": "5 0"}, {"actual": 90}]
)
def test_history_applied_after_reading_is_the_same_as_while_reading(matrix, values):
    """`matrix collect` learns a return's period by reading it, then applies the history rule to
    the rows it read: the result is exactly what validating with that history gives."""
    from matrix.validation import with_previous

    plan, path = matrix
    fill(path, {"AP3-1": values})
    previous = earlier({("SDN", "AP3-1"): 70.0})
    once = with_previous(plan, validate_file(plan, path), previous)
    assert once == validate_file(plan, path, previous=previous)
    assert [i.code for i in once.issues].count("actual-below-previous") == (values["actual"] != 90)
