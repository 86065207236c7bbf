"""The whole cycle through the command line, a collect killed or stopped half way (and its workers
gone with it), two collects at once, and feedback copies never taken for returns."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import time

import hxl
import openpyxl
import psutil
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from checkout import SUDAN
from matrix.plan import load_plan
from matrix.store import Store, StoreLocation
from process_helpers import alive, matrix_process, workers_of
from store_helpers import integrity_problems, returned_matrix, variants
from validation_helpers import fill
from workbook_helpers import data_rows


@pytest.fixture
def project(tmp_path):
    """A project folder with the Sudan plan as ./plan.yaml; `run` works in it."""
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    return tmp_path


def test_the_whole_cycle(run, project):
    plan = load_plan(project / "plan.yaml")
    assert run("generate", "plan.yaml", "--period", "2026-07", "--all", "-o", "july").exit_code == 0
    [blank] = (project / "july").glob("*.xlsx")
    returned_matrix(plan, "2026-07", project / "july", share=0.5, comments="=1+1 is a formula")

    result = run("collect", "july")
    assert result.exit_code == 0, result.output
    assert "accepted" in result.output and "1 file: 1 accepted" in result.output
    assert (project / "matrix.sqlite").exists()

    result = run("collect", "july")
    assert result.exit_code == 0 and "duplicate" in result.output

    corrected = returned_matrix(
        plan, "2026-07", project / "corrected", share=0.75, comments="Corrected"
    )
    result = run("collect", corrected, "--period", "2026-07")
    assert result.exit_code == 0 and "accepted, replaces an earlier return" in result.output

    broken = project / "broken" / "SDN.xlsx"
    broken.parent.mkdir()
    shutil.copy(corrected, broken)
    fill(broken, {"AP1-1": {"actual": "lots"}})
    result = run("collect", broken)
    assert result.exit_code == 1
    assert "rejected" in result.output and "Matrix!" in result.output

    result = run("status", "--period", "2026-07")
    assert (
        result.exit_code == 0
    )  # returned (late: collected after 10 August 2026) counts as returned
    assert "SDN" in result.output
    data = json.loads(run("status", "--period", "2026-07", "--format", "json").output)
    assert data["offices"][0]["state"] in ("returned", "late") and data["offices"][0]["errors"] == 0
    missing = run("status", "--period", "2026-08")
    assert missing.exit_code == 1 and "missing" in missing.output

    result = run("history", "SDN", "--activity", "AP1-1")
    assert (
        result.exit_code == 0 and "2026-07  AP1-1" in result.output and "Corrected" in result.output
    )

    for fmt, name in (
        ("csv", "out.csv"),
        ("hxl", "out.hxl.csv"),
        ("json", "out.json"),
        ("xlsx", "out.xlsx"),
        ("iati", "out.xml"),
    ):
        result = run("export", "--period", "2026-07", "--format", fmt, "-o", name)
        assert result.exit_code == 0, result.output
        assert (project / name).stat().st_size > 0
    with (project / "out.csv").open(encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle))
    assert (first["ref"], first["actual"], first["comments"]) == ("AP1-1", "9", "Corrected")
    hxl_rows = list(hxl.data(str(project / "out.hxl.csv"), hxl.InputOptions(allow_local=True)))
    assert hxl_rows[0].get("#reached") == "9"
    assert json.loads((project / "out.json").read_text())["rows"][0]["status"] == "on_track"
    assert exported_cell(project / "out.xlsx", "actual").value == 9
    assert 'actual value="9"' in (project / "out.xml").read_text(encoding="utf-8")

    # prefill: August's matrix starts from July's accepted values
    result = run(
        "generate", "plan.yaml", "--period", "2026-08", "--all", "--prefill", "-o", "august"
    )
    assert result.exit_code == 0, result.output
    [august] = (project / "august").glob("*.xlsx")
    rows = data_rows(openpyxl.load_workbook(august)["Matrix"], "en", plan)
    assert (rows["AP1-1"]["actual"], rows["AP1-1"]["comments"], rows["AP1-1"]["status"]) == (
        9,
        "Corrected",
        "On track",
    )
    assert blank.exists()


def exported_cell(path, column: str):
    """The first row's cell of `column` on the xlsx export's 'All rows' sheet, found by header."""
    ws = openpyxl.load_workbook(path)["All rows"]
    [header] = [c for c in ws[1] if c.value == column]
    return ws.cell(2, header.column)


def test_formula_text_is_exported_as_text(run, project):
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "in", comments='=HYPERLINK("http://x","y")')
    assert run("collect", "in").exit_code == 0
    run("export", "--format", "xlsx", "-o", "out.xlsx")
    run("export", "--format", "csv", "-o", "out.csv")
    cell = exported_cell(project / "out.xlsx", "comments")
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    with (project / "out.csv").open(encoding="utf-8-sig") as handle:
        assert next(csv.DictReader(handle))["comments"] == '\'=HYPERLINK("http://x","y")'


def test_missing_plan_and_store_are_one_line_errors(run, tmp_path):
    result = run("status", "--period", "2026-07")
    assert result.exit_code == 2 and "no plan at plan.yaml" in result.output
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    result = run("export", "--format", "csv", "-o", "x.csv")
    assert result.exit_code == 2 and "no store at matrix.sqlite" in result.output
    assert not (tmp_path / "matrix.sqlite").exists()
    result = run("generate", "plan.yaml", "--period", "2026-08", "--all", "--prefill")
    assert result.exit_code == 2 and "no store" in result.output


def test_store_path_from_option_and_environment(run, project, monkeypatch):
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "in")
    assert run("collect", "in", "--store", "a.sqlite").exit_code == 0
    monkeypatch.setenv("MATRIX_STORE", str(project / "b.sqlite"))
    assert run("collect", "in").exit_code == 0
    assert (project / "a.sqlite").exists() and (project / "b.sqlite").exists()
    assert not (project / "matrix.sqlite").exists()


def test_export_refuses_to_overwrite_the_store(run, project):
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "in")
    run("collect", "in")
    size = (project / "matrix.sqlite").stat().st_size
    for target in ("matrix.sqlite", "plan.yaml"):
        result = run("export", "--format", "csv", "-o", target)
        assert result.exit_code == 2 and "which this command reads" in result.output
    assert (project / "matrix.sqlite").stat().st_size == size


# --- real processes: a kill half way, and two at once -----------------------------------------


def count_submissions(url: str) -> int:
    """Submissions recorded so far (0 before the store exists), read as another client would."""
    location = StoreLocation.parse(url)
    if location.path is not None and not location.path.exists():  # connecting would create it
        return 0
    engine = create_engine(location.url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM submissions")).scalar_one()
    except DBAPIError:  # not created yet
        return 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_two_collects_at_once_record_each_file_exactly_once(project, store_url):
    plan = load_plan(project / "plan.yaml")
    files = variants(returned_matrix(plan, "2026-07", project / "one"), 30, project / "inbox")
    first, second = project / "first", project / "second"
    for folder, chosen in ((first, files[:20]), (second, files[10:])):
        folder.mkdir()
        for path in chosen:
            shutil.copy(path, folder / path.name)
    processes = [
        matrix_process(project, "collect", str(folder), "--store", store_url)
        for folder in (first, second)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err
    summaries = [
        next(line for line in out.splitlines() if re.search(r"\d+ files?: ", line))
        for out, _ in outputs
    ]
    duplicates = sum(int(re.search(r"(\d+) duplicate", line).group(1)) for line in summaries)
    assert duplicates == 10
    with Store.open(store_url) as store:
        assert integrity_problems(store) == []
        submissions = store.submissions(plan)
        assert len(submissions) == len({s.sha256 for s in submissions}) == 30
        assert sum(s.current for s in submissions) == 1


def test_received_date_decides_late(run, project):
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "in")
    assert run("collect", "in", "--received", "2026-08-20").exit_code == 0
    result = run("status", "--period", "2026-07", "--format", "json")
    office = json.loads(result.output)["offices"][0]
    assert (result.exit_code, office["state"], office["latest_return"]) == (
        0,
        "late",
        "2026-08-20T00:00:00+00:00",
    )


def test_feedback_copies_among_returns_are_skipped_not_recorded(run, project):
    plan = load_plan(project / "plan.yaml")
    path = returned_matrix(plan, "2026-07", project / "in")
    assert run("validate", "in", "--annotate", "feedback").exit_code == 0
    shutil.copy(project / "feedback" / f"{path.stem}_feedback.xlsx", project / "in")
    result = run("collect", "in")
    assert result.exit_code == 0, result.output
    assert (
        "2 files: 1 accepted, 0 superseded an earlier return, 0 superseded on arrival, "
        "0 duplicates, 0 rejected, and 1 skipped" in result.output
    )
    assert re.search(
        r"_feedback\.xlsx +\? +\? +skipped +0 +1 +this is the feedback copy", result.output
    )
    with Store.open(project / "matrix.sqlite") as store:
        assert [s.file_name for s in store.submissions(plan)] == [path.name]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_a_stopped_collect_leaves_no_worker_and_a_sound_store(project, how, store_url):
    plan = load_plan(project / "plan.yaml")
    files = variants(returned_matrix(plan, "2026-07", project / "one"), 40, project / "inbox")
    process = matrix_process(
        project, "collect", "inbox", "--store", store_url, start_new_session=True
    )
    parent = psutil.Process(process.pid)
    first_batch: set[int] = set()  # its workers end normally once it is validated
    while process.poll() is None and not count_submissions(store_url):
        first_batch |= {child.pid for child in parent.children(recursive=True)}
        time.sleep(0.005)
    workers_of(process, besides=first_batch)  # the next batch's workers: let them start reading
    time.sleep(0.05)
    workers = [
        child.pid for child in parent.children(recursive=True) if child.pid not in first_batch
    ]
    assert workers, "the batch ended before its workers were seen"
    if how == "Ctrl-C":  # the terminal sends it to every process in the foreground group
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(getattr(signal, how))
    process.wait(timeout=60)

    deadline = time.monotonic() + 5
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = alive(workers)
    for pid in survivors:  # ours to end, so that a failure leaves nothing running
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], f"workers outlived a collect stopped by {how}"
    out, err = process.communicate(timeout=60)
    if how == "SIGKILL":
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == {"SIGTERM": 143, "Ctrl-C": 130}[how], err
        assert "Traceback" not in err
        stopped = re.search(
            rf"stopped by {how} after recording (\d+) of 40 files, each whole; run the same "
            "command again to collect the rest",
            err,
        )
        assert stopped, err
        assert re.search(
            rf"^{stopped.group(1)} files?: ", out, re.MULTILINE
        )  # the summary of what was recorded

    with Store.open(store_url) as store:
        assert integrity_problems(store) == []
        recorded = len(store.submissions(plan))
        assert 0 < recorded < len(files)
    rerun = matrix_process(project, "collect", "inbox", "--store", store_url)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"{recorded} duplicate" in out
    with Store.open(store_url) as store:
        assert integrity_problems(store) == []
        submissions = store.submissions(plan)
        assert sorted(s.file_name for s in submissions) == sorted(f.name for f in files)
        assert [s.file_name for s in submissions if s.current] == ["return-039.xlsx"]
