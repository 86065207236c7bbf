"""Hostile and messy returns through the command line, each built in code from a real matrix.

Files that would make a reader allocate gigabytes or never finish run in a subprocess under a
memory and time limit and must end cleanly: one line per problem, no traceback, no crash.
Messy but honest files (formatting dragged down, a whole-sheet dimension, the 1904 date system,
characters XML forbids) are accepted and read as meant."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from checkout import SUDAN
from hostile_helpers import (
    before_sheet_end,
    edit_part,
    edit_sheet,
    error_codes,
    in_last_row,
    limited_run,
    prefixed,
    sheet_part,
    styled_empty_rows,
    value_cell,
)
from store_helpers import returned_matrix
from validation_helpers import fill, fill_good, make_matrix


@pytest.fixture(scope="module")
def returned(tmp_path_factory) -> Path:
    """A correctly filled return, copied by each test before it is damaged."""
    plan, path = make_matrix(tmp_path_factory.mktemp("sent"), SUDAN)
    return fill_good(path, plan)


@pytest.fixture
def folder(tmp_path, returned) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    shutil.copy(returned, folder / "a_good.xlsx")
    return folder


def validate(*paths: Path):
    return limited_run("validate", *paths, "--plan", SUDAN)


def assert_clean(result, codes: list[str]) -> None:
    """Ended by itself (no abort, no kill), said everything in one line per problem."""
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr and "panicked" not in result.stderr
    assert error_codes(result.stdout) == codes, result.stdout


# --- 4: references in any spelling a reader accepts --------------------------------------------


@pytest.mark.parametrize(
    "name, edit",
    [
        ("lower_last_cell", in_last_row(value_cell("xfd1048576"))),
        ("lower_two_letters", in_last_row(value_cell("dz40000"))),
        ("prefixed", lambda xml: prefixed(in_last_row(value_cell("XFD1048576"))(xml))),
        ("mixed_case_dollars", in_last_row(value_cell("$Xfd$1048576"))),
    ],
)
def test_far_values_in_any_spelling_are_refused_with_bounded_memory(folder, name, edit):
    edit_sheet(folder / "a_good.xlsx", folder / f"{name}.xlsx", "Matrix", edit)
    result = validate(folder)
    assert_clean(result, ["used-range-too-large"])
    assert f"{name}.xlsx  Matrix  error  used-range-too-large" in result.stdout
    assert result.returncode == 1 and f"{folder / 'a_good.xlsx'}: valid" in result.stdout


# --- 7: only regular files are read ------------------------------------------------------------


def test_devices_fifos_and_folders_are_refused_without_hanging(folder, tmp_path):
    os.mkfifo(folder / "b_pipe.xlsx")
    (folder / "c_zero.xlsx").symlink_to("/dev/zero")
    (folder / "d_folder.xlsx").mkdir()
    (folder / "e_gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    result = validate(folder)
    assert_clean(result, ["not-a-file", "not-a-file", "not-a-file", "file-unreadable"])
    lines = result.stdout.splitlines()
    assert any(
        "b_pipe.xlsx  error  not-a-file  this is a named pipe (FIFO)" in line for line in lines
    )
    assert any("c_zero.xlsx  error  not-a-file  this is a device" in line for line in lines)
    assert any("d_folder.xlsx  error  not-a-file  this is a folder" in line for line in lines)
    assert result.returncode == 1 and f"{folder / 'a_good.xlsx'}: valid" in result.stdout


def test_a_device_named_on_the_command_line_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    result = validate(tmp_path / "pipe.xlsx", Path("/dev/zero"))
    assert_clean(result, ["not-a-file", "not-a-file"])


def test_collect_records_a_fifo_as_rejected_without_hanging(tmp_path):
    project = tmp_path / "project"
    (project / "returns").mkdir(parents=True)
    shutil.copy(SUDAN, project / "plan.yaml")
    os.mkfifo(project / "returns" / "SDN.xlsx")
    result = limited_run("collect", "returns", cwd=project)
    assert (
        result.returncode == 1
        and "rejected" in result.stdout
        and "this is a named pipe" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


# --- 8 and 9: formatting and hints are not data ------------------------------------------------


@pytest.mark.slow
def test_formatting_dragged_down_100000_rows_is_accepted_and_read(folder):
    path = edit_sheet(
        folder / "a_good.xlsx",
        folder / "dragged.xlsx",
        "Matrix",
        before_sheet_end(styled_empty_rows(40, 100_000)),
    )
    (folder / "a_good.xlsx").unlink()
    result = limited_run("validate", path, "--plan", SUDAN, "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    [data] = json.loads(result.stdout)
    assert data["accepted"] and data["issues"] == [] and len(data["rows"]) == 16


@pytest.mark.slow
def test_a_messy_return_with_errors_gets_its_annotated_copy(folder, tmp_path):
    """Formatting dragged down and a forbidden character: openpyxl annotates a cleaned copy, in
    seconds and bounded memory, not minutes and a gigabyte."""
    fill(folder / "a_good.xlsx", {"AP1-1": {"actual": "about 40", "comments": "ring the BELL"}})
    path = edit_sheet(
        folder / "a_good.xlsx",
        folder / "messy.xlsx",
        "Matrix",
        lambda xml: before_sheet_end(styled_empty_rows(40, 100_000))(
            xml.replace(b"BELL", b"bell&#x7;")
        ),
    )
    result = limited_run("validate", path, "--plan", SUDAN, "--annotate", tmp_path / "feedback")
    assert_clean(result, ["actual-not-a-number"])
    assert "control-characters" in result.stdout and "wrote" in result.stderr
    ws = openpyxl.load_workbook(tmp_path / "feedback" / "messy_feedback.xlsx")["Matrix"]
    assert ws.max_row < 100 and "ring the bell" in [
        cell.value for row in ws.iter_rows() for cell in row
    ]


def test_a_value_below_dragged_formatting_is_still_refused(folder):
    edit = before_sheet_end(
        styled_empty_rows(40, 30_000) + b'<row r="30040">' + value_cell("B30040") + b"</row>"
    )
    edit_sheet(folder / "a_good.xlsx", folder / "dragged.xlsx", "Matrix", edit)
    assert_clean(validate(folder), ["used-range-too-large"])


def test_a_dimension_claiming_the_whole_sheet_is_judged_by_its_cells(folder):
    path = edit_sheet(
        folder / "a_good.xlsx",
        folder / "dimension.xlsx",
        "Matrix",
        lambda xml: xml.replace(b'<dimension ref="A1:T29"', b'<dimension ref="A1:XFD1048576"'),
    )
    result = limited_run("validate", path, "--plan", SUDAN, "--format", "json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    [data] = json.loads(result.stdout)
    assert data["accepted"] and len(data["rows"]) == 16


# --- 10: the 1904 date system ------------------------------------------------------------------


def test_a_workbook_saved_in_the_1904_date_system_reads_the_plans_dates(run, returned, tmp_path):
    """As Excel for Mac saves it: the same dates, counted from 1904."""
    wb = openpyxl.load_workbook(returned)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.save(tmp_path / "mac.xlsx")
    result = run("validate", tmp_path / "mac.xlsx", "--plan", SUDAN)
    assert result.exit_code == 0 and result.stdout.strip().endswith("mac.xlsx: valid"), (
        result.stdout
    )


def test_a_workbook_switched_to_the_1904_date_system_is_read_with_a_warning(
    run, returned, tmp_path
):
    """Switching the option keeps the serial numbers, so every plan date shows 4 years late: the
    office changed nothing, and is told why its dates look wrong."""
    path = edit_part(
        returned,
        tmp_path / "switched.xlsx",
        "xl/workbook.xml",
        lambda xml: xml.replace(b"<workbookPr", b'<workbookPr date1904="1"', 1),
    )
    result = run("validate", path, "--plan", SUDAN)
    assert result.exit_code == 0, result.stdout
    assert "locked-cell-edited" not in result.stdout
    [warning] = [line for line in result.stdout.splitlines() if "  warning  " in line]
    assert "switched.xlsx  warning  date-system-1904" in warning


def test_dates_really_edited_in_a_1904_workbook_are_still_caught(run, returned, tmp_path):
    edited = fill(returned, {"AP1-1": {"start": "2026-08-01"}}, out=tmp_path / "edited.xlsx")
    path = edit_part(
        edited,
        tmp_path / "switched.xlsx",
        "xl/workbook.xml",
        lambda xml: xml.replace(b"<workbookPr", b'<workbookPr date1904="1"', 1),
    )
    result = run("validate", path, "--plan", SUDAN)
    assert result.exit_code == 1 and error_codes(result.stdout) == ["locked-cell-edited"]


# --- 11: characters XML forbids ----------------------------------------------------------------


def test_forbidden_characters_are_removed_with_a_warning_and_reach_no_output(
    run, tmp_path, monkeypatch, sudan
):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(SUDAN, project / "plan.yaml")
    plan = sudan
    clean = returned_matrix(plan, "2026-07", project / "sent", comments="Ring the BELL twice")
    part = sheet_part(clean, "Matrix")
    returns = project / "returns"
    returns.mkdir()
    edit_part(
        clean, returns / "SDN.xlsx", part, lambda xml: xml.replace(b"BELL", b"bell&#x7;&#7;_x001B_")
    )
    monkeypatch.chdir(project)

    result = run("validate", "returns")
    assert result.exit_code == 0
    warnings = [line for line in result.stdout.splitlines() if "control-characters" in line]
    assert len(warnings) == 16 and "Matrix!R" in warnings[0] and "U+0007 and U+001B" in warnings[0]

    assert run("collect", "returns").exit_code == 0
    for fmt, name in (
        ("csv", "out.csv"),
        ("json", "out.json"),
        ("xlsx", "out.xlsx"),
        ("hxl", "out.hxl.csv"),
    ):
        assert run("export", "--period", "2026-07", "--format", fmt, "-o", name).exit_code == 0
    assert run("report", "--period", "2026-07", "-o", "report.html").exit_code == 0
    with (project / "out.csv").open(encoding="utf-8-sig") as handle:
        assert next(csv.DictReader(handle))["comments"] == "Ring the bell twice"
    exported = openpyxl.load_workbook(project / "out.xlsx")["All rows"]
    texts = [
        run("history", "SDN", "--activity", "AP1-1").stdout,
        (project / "report.html").read_text(encoding="utf-8"),
        *(
            (project / name).read_text(encoding="utf-8-sig")
            for name in ("out.csv", "out.json", "out.hxl.csv")
        ),
        *(str(cell) for row in exported.iter_rows(values_only=True) for cell in row),
    ]
    assert not [text for text in texts if "\x07" in text or "\x1b" in text]
    # the report lists no row for its comment alone (issue 16.5); the cleaned text is in the exports


# --- 12: a missing column is said to be missing ------------------------------------------------


def test_a_missing_column_names_the_sheet_not_column_a(run, returned, tmp_path):
    path = tmp_path / "cut.xlsx"
    wb = openpyxl.load_workbook(returned)
    ws = wb["Matrix"]
    [actual] = [cell.column for cell in ws[3] if cell.value == "Actual value"]
    ws.delete_cols(actual)
    wb.save(path)
    result = run("validate", path, "--plan", SUDAN)
    [line] = [line for line in result.stdout.splitlines() if "column-missing" in line]
    assert (
        f"{path}  Matrix  error  column-missing  "
        "column 'Actual value' is missing from the header row (row 3)" in line
    )
    assert "Matrix!" not in line
