"""The consistency checks (issue 10.5), one test each through a real generated workbook, and
`validate` applying the previous-period checks as `collect` does when a store is present."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from checkout import SUDAN
from matrix.codes import Code
from matrix.generate import generate
from matrix.models.plan import Checks
from matrix.models.returns import Earlier, ProgressRecord
from matrix.plan import load_plan
from matrix.validation import validate_file, with_previous
from store_helpers import returned_matrix
from validation_helpers import columns, earlier, fill, fill_good, ref_rows, sheet_of

# Sudan, monthly. AP3-1 Officials trained: people, target 120, total to date,
# 2026-08-01..2027-05-31. AP3-2 Kidnapping incidents: baseline 40, per period. AP6-1 Victims
# assisted: target 300, total to date, 2026-07-01..2027-06-30. AP5-1 SOPs endorsed: target 1,
# 2026-07-01..2026-12-31.


@pytest.fixture
def march(tmp_path, sudan):
    """Sudan's matrix for 2027-03 (3/4 of AP6-1's year gone by its end), filled in as a good
    return."""
    [path] = generate(
        sudan, "2027-03", countries=["SDN"], regional=False, lang="en", out_dir=tmp_path
    )
    fill_good(path, sudan)
    return sudan, path


def findings(plan, path, values, code, **kwargs):
    """Fill rows, validate, and the issues with `code` on the filled rows or the whole file, as
    (cell, message): the other rows are a good return's, which some checks have views on too."""
    fill(path, values)
    result = validate_file(plan, path, **kwargs)
    rows = {
        str(row)
        for ref, row in ref_rows(sheet_of(openpyxl.load_workbook(path), "SDN")).items()
        if ref in values
    }
    return [
        (i.cell, i.message)
        for i in result.issues
        if i.code == code
        and (i.cell is None or i.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") in rows)
    ]


def cell(path, ref, key):
    ws = sheet_of(openpyxl.load_workbook(path), "SDN")
    return f"{openpyxl.utils.get_column_letter(columns(ws)[key])}{ref_rows(ws)[ref]}"


# --- not started, yet an actual above the baseline ------------------------------------------------


def test_not_started_with_a_total_above_the_baseline(march):
    plan, path = march
    found = findings(
        plan, path, {"AP3-1": {"status": "Not started", "actual": 5}}, "not-started-with-progress"
    )
    assert found == [
        (
            cell(path, "AP3-1", "status"),
            Code.NOT_STARTED_WITH_PROGRESS.message(ref="AP3-1", actual="5", threshold="0"),
        )
    ]


@pytest.mark.parametrize(("actual", "flagged"), [(0, False), (None, False), (1, True)])
def test_not_started_in_a_per_period_indicator_is_judged_against_nothing_done(
    march, actual, flagged
):
    """AP3-2 counts incidents per period from a baseline of 40: any number in a period means
    something happened in it, whatever the baseline."""
    plan, path = march
    found = findings(
        plan,
        path,
        {"AP3-2": {"status": "Not started", "actual": actual}},
        "not-started-with-progress",
    )
    assert bool(found) is flagged


def test_not_started_at_the_baseline_is_fine(tmp_path):
    text = SUDAN.read_text(encoding="utf-8")
    old = (
        "{name: {en: Officials trained, ar: الموظفون المدرَّبون}, unit: {en: people, ar: أشخاص}, "
        "target: 120, "
        "kind: count, periods: cumulative}"
    )
    assert old in text
    (tmp_path / "plan.yaml").write_text(
        text.replace(old, old[:-1] + ", baseline: 10}"), encoding="utf-8"
    )
    with_baseline = load_plan(tmp_path / "plan.yaml")
    [path] = generate(
        with_baseline, "2027-03", countries=["SDN"], regional=False, lang="en", out_dir=tmp_path
    )
    fill_good(path, with_baseline)
    assert (
        findings(
            with_baseline,
            path,
            {"AP3-1": {"status": "Not started", "actual": 10}},
            "not-started-with-progress",
        )
        == []
    )
    [(_, message)] = findings(
        with_baseline, path, {"AP3-1": {"actual": 11}}, "not-started-with-progress"
    )
    assert "above the baseline 10" in message


# --- at risk: on track while progress trails the time gone by -------------------------------------


def test_on_track_far_behind_the_time_gone_by_is_at_risk(march):
    """By 2027-03-31, 273 of AP6-1's 364 days are gone (75 %); 90 of 300 is 30 %: 45 points
    behind."""
    plan, path = march
    found = findings(plan, path, {"AP6-1": {"actual": 90}}, "at-risk")
    assert found == [
        (
            cell(path, "AP6-1", "actual"),
            Code.AT_RISK.message(
                ref="AP6-1",
                progress="30",
                elapsed="75",
                start="2026-07-01",
                end="2027-06-30",
                as_of="2027-03-31",
                margin="25",
            ),
        )
    ]


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ({"actual": 150}, False),  # 50 % with 75 % gone: 25 points, not more
        ({"actual": 149}, True),
        ({"actual": 90, "status": "Delayed", "comments": "Funding late"}, False),  # already says so
    ],
)
def test_at_risk_is_more_than_the_margin_behind_and_on_track(march, values, flagged):
    plan, path = march
    assert bool(findings(plan, path, {"AP6-1": values}, "at-risk")) is flagged


def test_the_margin_is_the_plan_s_and_keeps_the_plan_version(march):
    plan, path = march
    lenient = plan.model_copy(update={"checks": Checks(at_risk_margin=50)})
    assert lenient.content_hash() == plan.content_hash()  # returns already sent out still match
    assert findings(lenient, path, {"AP6-1": {"actual": 90}}, "at-risk") == []
    strict = plan.model_copy(update={"checks": Checks(at_risk_margin=10)})
    assert findings(strict, path, {"AP6-1": {"actual": 160}}, "at-risk")  # 53 % with 75 % gone


def test_at_risk_margin_out_of_range_is_a_plan_error(tmp_path):
    from matrix.errors import PlanError

    text = SUDAN.read_text(encoding="utf-8") + "checks:\n  at_risk_margin: 150\n"
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match="at_risk_margin"):
        load_plan(tmp_path / "plan.yaml")


# --- overdue: past its end and not finished -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "flagged"),
    [
        ({"status": "On track"}, True),
        ({"status": "Delayed", "comments": "Waiting for the committee"}, True),
        ({"status": "Not started", "actual": 0}, True),
        ({"status": "Completed", "actual": 1}, False),
        ({"status": "Cancelled", "comments": "Merged into AP5-2"}, False),
    ],
)
def test_past_its_end_and_not_finished_is_overdue(march, values, flagged):
    plan, path = march
    found = findings(plan, path, {"AP5-1": values}, "overdue")  # ended 2026-12-31
    assert bool(found) is flagged
    if flagged:
        status = values["status"].lower()
        assert found == [
            (
                cell(path, "AP5-1", "status"),
                Code.OVERDUE.message(
                    ref="AP5-1", end="2026-12-31", status=status, period="2027-03"
                ),
            )
        ]


def test_nothing_is_overdue_before_its_end(march):
    plan, path = march
    assert findings(plan, path, {"AP6-1": {"status": "On track"}}, "overdue") == []


# --- previous-period checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "flagged"),
    [
        ("completed", "On track", True),
        ("cancelled", "Delayed", True),
        ("completed", "Completed", False),
        ("on_track", "Delayed", False),
    ],
)
def test_a_finished_row_that_reopens(march, before, now, flagged):
    plan, path = march
    history = earlier({("SDN", "AP6-1"): 150.0}, period="2027-02", status=before)
    found = findings(
        plan,
        path,
        {"AP6-1": {"status": now, "actual": 300, "comments": "as planned"}},
        "finished-row-reopened",
        previous=history,
    )
    assert bool(found) is flagged
    if flagged:
        assert found == [
            (
                cell(path, "AP6-1", "status"),
                Code.FINISHED_ROW_REOPENED.message(
                    ref="AP6-1", before=before, period="2027-02", status=now.lower()
                ),
            )
        ]


def accepted_as(result, period):
    """The history a store would give after accepting `result` for `period`."""
    return {
        (r.country, r.ref): Earlier(
            period,
            ProgressRecord(
                r.country,
                r.ref,
                r.status and r.status.value,
                r.actual,
                r.funds_secured,
                r.comments,
                r.next_steps,
                r.support_needed,
            ),
            r.actual,
        )
        for r in result.rows
    }


def test_a_return_sent_back_exactly_as_accepted_before(march):
    plan, path = march
    history = accepted_as(validate_file(plan, path), "2027-01")
    result = validate_file(plan, path, previous=history)
    [issue] = [i for i in result.issues if i.code == "no-update"]
    assert issue.message == Code.NO_UPDATE.message(rows=len(result.rows), period="2027-01")
    assert issue.severity.value == "warning" and result.accepted


def test_one_row_updated_is_an_update(march):
    plan, path = march
    history = accepted_as(validate_file(plan, path), "2027-01")
    assert (
        findings(
            plan, path, {"AP6-1": {"comments": "Two more shelters"}}, "no-update", previous=history
        )
        == []
    )


def test_no_update_names_the_latest_period_repeated(march):
    plan, path = march
    history = accepted_as(validate_file(plan, path), "2026-11")
    history[("SDN", "AP6-1")] = history[("SDN", "AP6-1")]._replace(period="2027-02")
    found = findings(plan, path, {}, "no-update", previous=history)
    assert [message for _, message in found] == [
        Code.NO_UPDATE.message(rows=len(history), period="2027-02")
    ]


def test_previous_period_checks_after_reading_are_the_same_as_while_reading(march):
    """`collect` learns a return's period by reading it and only then applies the history."""
    plan, path = march
    fill(path, {"AP6-1": {"status": "On track", "actual": 100}})
    history = earlier({("SDN", "AP6-1"): 150.0}, period="2027-02", status="completed")
    once = with_previous(plan, validate_file(plan, path), history)
    assert once == validate_file(plan, path, previous=history)
    assert {"finished-row-reopened", "actual-below-previous"} <= {i.code for i in once.issues}


# --- validate with a store says what collect says -------------------------------------------------


@pytest.fixture
def project(tmp_path):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    return tmp_path


def codes_of(output):
    return sorted(
        (entry["file"].rsplit("/", 1)[-1], issue["code"])
        for entry in json.loads(output)
        for issue in entry["issues"]
    )


def test_validate_applies_the_previous_period_checks_when_a_store_is_present(run, project, sudan):
    returned_matrix(sudan, "2026-08", project / "august", share=0.5)
    assert run("collect", "august").exit_code == 0
    september = returned_matrix(
        sudan, "2026-09", project / "september", share=0.25
    )  # totals went down

    result = run("validate", "september", "--format", "json")
    assert result.exit_code == 0, result.output
    found = codes_of(result.output)
    assert ("SDN_2026-09_sdn-joint-strategy.xlsx", "actual-below-previous") in found

    alone = run("validate", "september", "--format", "json", "--store", "elsewhere.sqlite")
    assert "actual-below-previous" not in {code for _, code in codes_of(alone.output)}
    assert not (project / "elsewhere.sqlite").exists()  # validate never creates a store

    collected = run("collect", "september")
    assert collected.exit_code == 0
    stored = json.loads(run("status", "--period", "2026-09", "--format", "json").output)
    assert stored["offices"][0]["warnings"] == len(found)
    assert september.exists()


def test_a_prefilled_matrix_returned_unchanged_is_flagged_by_validate_and_collect(
    run, project, sudan
):
    returned_matrix(sudan, "2026-08", project / "august", share=0.5)
    assert run("collect", "august").exit_code == 0
    assert (
        run(
            "generate", "plan.yaml", "--period", "2026-09", "--all", "--prefill", "-o", "sept"
        ).exit_code
        == 0
    )

    result = run("validate", "sept")
    assert result.exit_code == 0, result.output
    assert "no-update" in result.output and "no update since 2026-08" in result.output
    result = run("validate", "sept", "--store", "elsewhere.sqlite")
    assert "no-update" not in result.output
    assert run("collect", "sept").exit_code == 0
    status = json.loads(run("status", "--period", "2026-09", "--format", "json").output)
    assert status["offices"][0]["warnings"] >= 1


def test_project_validate_reads_the_store_it_is_given_on_both_backends(
    project, store_url, sudan, monkeypatch
):
    from matrix.project import Project

    monkeypatch.chdir(project)
    with_store = Project(project, store_url)
    with_store.collect([returned_matrix(sudan, "2026-08", project / "august", share=0.5)])
    september = returned_matrix(sudan, "2026-09", project / "september", share=0.25)
    [result] = with_store.validate([september])
    assert "actual-below-previous" in {i.code for i in result.issues}
    monkeypatch.setenv("MATRIX_STORE", store_url)
    [from_environment] = Project(project).validate([september])
    assert from_environment.issues == result.issues
    monkeypatch.delenv("MATRIX_STORE")
    [alone] = Project(project, project / "none.sqlite").validate([september])
    assert "actual-below-previous" not in {i.code for i in alone.issues}


def test_a_store_that_cannot_be_read_leaves_validation_to_go_on_with_a_warning(run, project, sudan):
    (project / "matrix.sqlite").write_bytes(b"not a database at all, " * 100)
    september = returned_matrix(sudan, "2026-09", project / "september", share=0.25)
    result = run("validate", "september")
    assert result.exit_code == 0, result.output
    assert f"{september.name}: valid" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if "history-unavailable" in line]
    assert warning.startswith("matrix.sqlite") and "not compared with earlier periods" in warning
    assert (project / "matrix.sqlite").read_bytes() == b"not a database at all, " * 100
