"""`matrix validate` end to end: exit codes 0/1/2, text and JSON output, folders, --strict,
--annotate, and hostile files failing fast with one line each and no traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import zipfile

import openpyxl
import pytest

from checkout import SUDAN
from hostile_helpers import edit_sheet, error_codes, in_last_row, limited_run, prefixed, value_cell
from matrix.codes import Code
from matrix.validation import validate_file
from process_helpers import alive, matrix_process, workers_of
from store_helpers import variants
from validation_helpers import fill, fill_good, make_matrix


@pytest.fixture
def returns(tmp_path):
    """A folder with one clean return and the plan next to it as plan.yaml."""
    folder = tmp_path / "returns"
    plan, path = make_matrix(folder, SUDAN)
    fill_good(path, plan)
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    return folder, path


def test_clean_return_exits_0(run, returns):
    _folder, path = returns
    result = run("validate", path, "--plan", SUDAN)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{path}: valid"


def test_plan_yaml_in_the_current_folder_is_the_default(run, returns, monkeypatch):
    folder, _ = returns
    monkeypatch.chdir(folder.parent)
    assert run("validate", "returns").exit_code == 0


def test_no_plan_exits_2_saying_to_pass_one(run, returns, monkeypatch):
    folder, path = returns
    monkeypatch.chdir(folder)
    result = run("validate", path)
    assert result.exit_code == 2
    assert "--plan" in result.stderr


def test_missing_file_exits_2(run):
    assert run("validate", "nowhere.xlsx", "--plan", SUDAN).exit_code == 2


def test_empty_folder_exits_2(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("validate", tmp_path / "empty", "--plan", SUDAN)
    assert result.exit_code == 2 and "no workbooks" in result.stderr


def test_errors_exit_1_with_one_line_per_problem_in_cell_order(run, returns):
    _, path = returns
    fill(path, {"AP3-1": {"actual": "about 40"}, "AP1-1": {"status": "Delayed", "comments": None}})
    result = run("validate", path, "--plan", SUDAN)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{path}: 2 errors, 0 warnings"
    assert lines[0].startswith(f"{path}  Matrix!") and "  error  comment-required  " in lines[0]
    message = Code.ACTUAL_NOT_A_NUMBER.message(
        text="about 40", what="the total to date in people as a whole number (Officials trained)"
    )
    assert lines[1].endswith(f"  error  actual-not-a-number  {message}")


def test_warnings_pass_unless_strict(run, returns):
    _, path = returns
    fill(path, {"AP3-1": {"actual": "1,250"}})
    assert run("validate", path, "--plan", SUDAN).exit_code == 0
    assert run("validate", path, "--plan", SUDAN, "--strict").exit_code == 1


def test_json_equals_the_library_result(run, returns, sudan):
    _, path = returns
    fill(path, {"AP3-1": {"actual": "about 40"}})
    result = run("validate", path, "--plan", SUDAN, "--format", "json")
    assert result.exit_code == 1
    [data] = json.loads(result.stdout)
    expected = validate_file(sudan, path).model_dump(mode="json")
    assert data == expected | {"accepted": False}


def hostile_files(folder, returned):
    """One file of each kind that must be refused before parsing; `returned` is a clean return
    to damage."""
    (folder / "a_empty.xlsx").write_bytes(b"")
    (folder / "b_old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    (folder / "c_text.csv").write_text("ref,status\nAP1-1,On track\n")
    with zipfile.ZipFile(folder / "d_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    wb = openpyxl.Workbook()
    wb.active["XFD1048576"] = 1
    wb.save(folder / "e_far.xlsx")
    (folder / "f_cut.xlsx").write_bytes((folder / "e_far.xlsx").read_bytes()[:300])
    edit_sheet(returned, folder / "g_lower.xlsx", "Matrix", in_last_row(value_cell("xfd1048576")))
    edit_sheet(
        returned,
        folder / "h_prefixed.xlsx",
        "Matrix",
        lambda xml: prefixed(in_last_row(value_cell("dz40000"))(xml)),
    )
    os.mkfifo(folder / "i_pipe.xlsx")
    (folder / "j_device.xlsx").symlink_to("/dev/zero")
    (folder / "k_folder.xlsx").mkdir()


def test_hostile_files_fail_fast_one_line_each_and_the_run_goes_on(returns):
    """In a subprocess under a memory and time limit: a regression aborts or hangs it, not
    pytest."""
    folder, path = returns
    hostile_files(folder, path)
    result = limited_run("validate", folder, "--plan", SUDAN)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert error_codes(result.stdout) == [
        "file-empty",
        "legacy-xls",
        "csv-not-workbook",
        "zip-bomb",
        "used-range-too-large",
        "truncated-file",
        "used-range-too-large",
        "used-range-too-large",
        "not-a-file",
        "not-a-file",
        "not-a-file",
    ]
    assert f"{path}: valid" in result.stdout.splitlines()


def test_annotate_writes_copies_and_says_which_files_got_none(run, returns, tmp_path):
    folder, path = returns
    fill(path, {"AP3-1": {"actual": "about 40"}})
    (folder / "broken.xlsx").write_bytes(b"")
    result = run("validate", folder, "--plan", SUDAN, "--annotate", tmp_path / "feedback")
    assert result.exit_code == 1
    copy = tmp_path / "feedback" / f"{path.stem}_feedback.xlsx"
    assert f"wrote {copy}" in result.stderr
    assert "no annotated copy of" in result.stderr and "broken.xlsx" in result.stderr
    assert openpyxl.load_workbook(copy).sheetnames[0] == "Feedback"


def test_help_has_an_example(run):
    result = run("validate", "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_annotate_refuses_the_folder_being_read(run, returns):
    folder, _ = returns
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for target in (folder, folder / "feedback"):
        result = run("validate", folder, "--plan", SUDAN, "--annotate", target)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {target} is inside the returns folder {folder}: feedback copies written "
            "there would be read as returns; choose a folder outside it\n"
        )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_annotate_never_overwrites_a_return_being_read(run, returns):
    folder, path = returns
    corrected = (
        folder / f"{path.stem}_feedback.xlsx"
    )  # the office's corrected return, named so by the office
    fill(path, {"AP1-1": {"comments": "corrected"}}, out=corrected)
    before = corrected.read_bytes()
    result = run("validate", path, corrected, "--plan", SUDAN, "--annotate", folder)
    assert result.exit_code == 2
    assert f"{corrected} is a return being read, which this command reads" in result.stderr
    assert corrected.read_bytes() == before


def test_feedback_copies_among_returns_are_skipped_with_a_message(run, returns, tmp_path):
    folder, path = returns
    assert (
        run("validate", folder, "--plan", SUDAN, "--annotate", tmp_path / "feedback").exit_code == 0
    )
    copy = shutil.copy(
        tmp_path / "feedback" / f"{path.stem}_feedback.xlsx", folder
    )  # the careless way back
    result = run("validate", folder, "--plan", SUDAN, "--strict")
    assert result.exit_code == 0
    assert f"{copy}  warning  feedback-copy  this is the feedback copy" in result.stdout
    assert f"{copy}: skipped" in result.stdout and f"{path}: valid" in result.stdout
    found = json.loads(run("validate", folder, "--plan", SUDAN, "--format", "json").stdout)
    assert [(r["file"], r["skipped"], r["accepted"]) for r in found] == [
        (str(path), False, True),
        (str(copy), True, False),
    ]


def test_returns_with_the_same_name_in_subfolders_get_a_copy_each(run, tmp_path):
    for office, actual in (("kenya", "about 40"), ("tanzania", None)):
        plan, generated = make_matrix(tmp_path / "returns" / office, SUDAN)
        fill_good(generated, plan)
        if actual:
            fill(generated, {"AP3-1": {"actual": actual}})
        generated.rename(generated.with_name("return.xlsx"))
    result = run("validate", tmp_path / "returns", "--plan", SUDAN, "--annotate", tmp_path / "fb")
    assert result.exit_code == 1
    headlines = {
        office: openpyxl.load_workbook(tmp_path / "fb" / office / "return_feedback.xlsx")[
            "Feedback"
        ]["A1"].value
        for office in ("kenya", "tanzania")
    }
    assert headlines == {
        "kenya": "return.xlsx: 1 error, 0 warnings",
        "tanzania": "return.xlsx: 0 errors, 0 warnings",
    }


def test_ctrl_c_stops_a_batch_at_once_and_leaves_no_worker(returns, tmp_path):
    folder, path = returns
    variants(path, 40, folder / "more")
    process = matrix_process(tmp_path, "validate", "returns", start_new_session=True)
    workers = workers_of(process)
    assert workers, "the batch ended before its workers were seen"
    os.killpg(
        process.pid, signal.SIGINT
    )  # as the terminal sends Ctrl-C: to every process of the group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert (
        err.splitlines()[-1] == "stopped by Ctrl-C; no file was left half-written"
        and "Traceback" not in err
    )
    assert alive(workers) == []
