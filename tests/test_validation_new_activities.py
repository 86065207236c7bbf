"""Rows on the New activities sheet become proposed activities, read with the same value rules,
including dates in the 1900 and 1904 date systems."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from checkout import SUDAN
from matrix.excel import layout
from matrix.models.plan import Status
from matrix.validation import validate_file
from validation_helpers import columns, fill_good, make_matrix, new_activities_sheet

KEYS = tuple(c.key for c in layout.NEW_ACTIVITY_COLUMNS)
ROW = layout.FIRST_DATA_ROW


def propose(tmp_path, values, *, lang="en", date1904=False, general=()):
    """Fill one new-activity row; `general` keys get the General number format (no date format)."""
    plan, path = make_matrix(tmp_path, SUDAN, lang=lang)
    fill_good(path, plan, lang=lang)
    wb = openpyxl.load_workbook(path)
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = new_activities_sheet(wb)
    cols = columns(ws, KEYS)
    for key, value in values.items():
        ws.cell(ROW, cols[key]).value = value
        if key in general:
            ws.cell(ROW, cols[key]).number_format = "General"
    wb.save(path)
    result = validate_file(plan, path)
    found = {(i.code, i.cell) for i in result.issues}
    letter = {key: openpyxl.utils.get_column_letter(col) + str(ROW) for key, col in cols.items()}
    return result, found, letter


def test_a_complete_new_activity(tmp_path):
    result, found, _ = propose(
        tmp_path,
        {
            "action_point": "3. Protection-sensitive entry systems",
            "activity": "Mobile legal clinics",
            "lead": "UNHCR",
            "partners": "SRCS",
            "indicator": "Clinics held",
            "unit": "clinics",
            "target": 10,
            "start": datetime(2026, 8, 1),
            "end": datetime(2026, 12, 31),
            "status": "On track",
            "actual": 4,
            "comments": "Two in Kassala",
        },
    )
    assert found == set()
    [proposed] = result.proposed
    assert proposed.action_point == "AP3" and proposed.title == "Mobile legal clinics"
    assert (proposed.start, proposed.end) == (date(2026, 8, 1), date(2026, 12, 31))
    assert (proposed.status, proposed.target, proposed.actual) == (Status.ON_TRACK, 10, 4)


def test_action_point_in_french_from_an_english_workbook(tmp_path):
    result, found, _ = propose(
        tmp_path,
        {"action_point": "7. Solutions pour les réfugiés", "activity": "X", "status": "Terminé"},
    )
    assert found == set() and result.proposed[0].action_point == "AP7"


def test_new_activity_needs_a_title(tmp_path):
    _, found, cell = propose(tmp_path, {"status": "On track", "actual": 3})
    assert found == {("new-activity-title-missing", cell["activity"])}


def test_new_activity_needs_a_status(tmp_path):
    _, found, cell = propose(tmp_path, {"activity": "Mobile legal clinics"})
    assert found == {("new-activity-status-missing", cell["status"])}


def test_unknown_action_point(tmp_path):
    _, found, cell = propose(
        tmp_path, {"activity": "X", "status": "On track", "action_point": "Protection"}
    )
    assert found == {("new-activity-action-point", cell["action_point"])}


def test_same_number_rules_as_the_matrix(tmp_path):
    _, found, cell = propose(
        tmp_path, {"activity": "X", "status": "On track", "target": "about 10", "actual": "1,5"}
    )
    assert found == {("not-a-number", cell["target"]), ("number-ambiguous", cell["actual"])}


def test_iso_text_date_is_read_with_a_warning(tmp_path):
    result, found, cell = propose(
        tmp_path, {"activity": "X", "status": "On track", "start": "2026-09-15"}
    )
    assert found == {("date-from-text", cell["start"])}
    assert result.proposed[0].start == date(2026, 9, 15)


@pytest.mark.parametrize("typed", ["15/09/2026", "September 2026", "2026-02-30"])
def test_other_text_is_not_a_date(tmp_path, typed):
    result, found, cell = propose(tmp_path, {"activity": "X", "status": "On track", "start": typed})
    assert found == {("not-a-date", cell["start"])}
    assert result.proposed[0].start is None


@pytest.mark.parametrize(
    ("date1904", "expected"), [(False, date(2023, 3, 15)), (True, date(2027, 3, 16))]
)
def test_date_serial_number_follows_the_workbook_date_system(tmp_path, date1904, expected):
    result, found, cell = propose(
        tmp_path,
        {"activity": "X", "status": "On track", "start": 45000},
        date1904=date1904,
        general=("start",),
    )
    assert found == {("date-from-number", cell["start"])}
    assert result.proposed[0].start == expected


def test_real_dates_in_a_1904_workbook(tmp_path):
    result, found, _ = propose(
        tmp_path,
        {"activity": "X", "status": "On track", "start": datetime(2026, 9, 15)},
        date1904=True,
    )
    assert found == set() and result.proposed[0].start == date(2026, 9, 15)


def test_end_before_start(tmp_path):
    _, found, cell = propose(
        tmp_path,
        {
            "activity": "X",
            "status": "On track",
            "start": datetime(2026, 9, 15),
            "end": datetime(2026, 1, 1),
        },
    )
    assert found == {("new-activity-dates", cell["end"])}


def test_empty_sheet_proposes_nothing(tmp_path):
    result, found, _ = propose(tmp_path, {})
    assert found == set() and result.proposed == []
