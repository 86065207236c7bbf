"""Collecting real returned workbooks: validated, recorded once, superseded, rejected with
reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matrix.collect import collect, render_outcomes
from matrix.errors import MatrixError
from matrix.store import Outcome
from matrix.validation import workbook_paths
from store_helpers import integrity_problems, returned_matrix

pytest_plugins = ["store_fixtures"]
from validation_helpers import fill


def test_collect_accepts_then_recognises_the_same_file(tmp_path, store, sudan):
    path = returned_matrix(sudan, "2026-07", tmp_path)
    [first] = collect(sudan, [path], store)
    assert (first.status, first.office, first.period, first.errors) == (
        Outcome.ACCEPTED,
        "SDN",
        "2026-07",
        0,
    )
    rows = store.current_rows(sudan, "2026-07")
    assert {r.row.ref for r in rows} >= {"AP1-1", "AP2-1.1", "AP2-1.2"}
    assert next(r.row.actual for r in rows if r.row.ref == "AP1-1") == 6
    [again] = collect(sudan, [tmp_path], store)
    assert again.status is Outcome.DUPLICATE and again.submission_id == first.submission_id
    assert len(store.submissions(sudan)) == 1
    assert integrity_problems(store) == []


def test_a_corrected_return_supersedes_the_first(tmp_path, store, sudan):
    first = returned_matrix(sudan, "2026-07", tmp_path, share=0.5, name="first.xlsx")
    second = returned_matrix(sudan, "2026-07", tmp_path, share=0.75, name="second.xlsx")
    outcomes = collect(sudan, [first, second], store)
    assert [o.status for o in outcomes] == [Outcome.ACCEPTED, Outcome.SUPERSEDED]
    assert (
        next(r.row.actual for r in store.current_rows(sudan, "2026-07") if r.row.ref == "AP1-1")
        == 9
    )
    assert [s.current for s in store.submissions(sudan)] == [False, True]


def test_a_broken_return_is_rejected_with_its_first_reason(tmp_path, store, sudan):
    path = returned_matrix(sudan, "2026-07", tmp_path)
    fill(path, {"AP1-1": {"status": "Almost there"}})
    [outcome] = collect(sudan, [path], store)
    assert outcome.status is Outcome.REJECTED and outcome.errors >= 1
    assert outcome.reason.startswith("Matrix!")
    assert store.current_rows(sudan) == []
    [submission] = store.submissions(sudan)
    assert (
        not submission.accepted
        and submission.problems[0].cell == outcome.reason.split("!")[1].split(":")[0]
    )


def test_not_a_workbook_is_rejected_and_recorded(tmp_path, store, sudan):
    fake = tmp_path / "SDN.xlsx"
    fake.write_text("this is not a workbook")
    [outcome] = collect(sudan, [fake], store)
    assert outcome.status is Outcome.REJECTED and outcome.office is None
    assert store.submissions(sudan)[0].sha256


def test_period_option_rejects_returns_for_another_period(tmp_path, store, sudan):
    path = returned_matrix(sudan, "2026-07", tmp_path)
    [outcome] = collect(sudan, [path], store, period="2026-08")
    assert outcome.status is Outcome.REJECTED
    assert "2026-07, not 2026-08" in outcome.reason
    assert [i.code for i in store.submissions(sudan)[0].problems] == ["period-not-collected"]
    # the same file under the right period is accepted, not a duplicate of the rejection
    assert collect(sudan, [path], store, period="2026-07")[0].status is Outcome.ACCEPTED
    with pytest.raises(MatrixError, match="not a period"):
        collect(sudan, [path], store, period="July")


def test_a_total_that_went_down_is_flagged_against_the_last_period(tmp_path, store, sudan):
    collect(sudan, [returned_matrix(sudan, "2026-07", tmp_path, share=0.5)], store)
    [outcome] = collect(sudan, [returned_matrix(sudan, "2026-08", tmp_path, share=0.25)], store)
    assert outcome.status is Outcome.ACCEPTED and outcome.warnings > 0
    flagged = {
        i.cell
        for i in store.submissions(sudan, "2026-08")[0].problems
        if i.code == "actual-below-previous"
    }
    assert flagged  # every cumulative row went from half its target to a quarter


def test_received_at_is_recorded(tmp_path, store, sudan):
    when = datetime(2026, 8, 5, 12, 0, tzinfo=UTC)
    collect(sudan, [returned_matrix(sudan, "2026-07", tmp_path)], store, received_at=when)
    assert store.submissions(sudan)[0].received_at == when


def test_regional_workbook_records_every_country_and_the_region(tmp_path, store, dar):
    path = returned_matrix(dar, "2026-Q3", tmp_path, regional=True)
    [outcome] = collect(dar, [path], store)
    assert outcome.status is Outcome.ACCEPTED and outcome.office == "EHAGL"
    assert "EHAGL" in {r.row.country for r in store.current_rows(dar, "2026-Q3")}


def test_folders_are_expanded_once_and_lock_files_skipped(tmp_path, sudan):
    path = returned_matrix(sudan, "2026-07", tmp_path)
    (tmp_path / "~$lock.xlsx").write_bytes(b"")
    assert workbook_paths([tmp_path, path]) == [path]


def test_summary_names_each_outcome(tmp_path, store, sudan):
    path = returned_matrix(sudan, "2026-07", tmp_path)
    outcomes = collect(sudan, [path], store) + collect(sudan, [path], store)
    text = render_outcomes(outcomes)
    assert (
        "2 files: 1 accepted, 0 superseded an earlier return, 0 superseded on arrival, "
        "1 duplicate, 0 rejected, and 0 skipped" in text
    )


def test_two_periods_in_one_run_are_checked_in_order(tmp_path, store, sudan):
    august = returned_matrix(sudan, "2026-08", tmp_path, share=0.25)
    july = returned_matrix(sudan, "2026-07", tmp_path, share=0.5)
    outcomes = collect(sudan, [august, july], store)
    assert [o.period for o in outcomes] == ["2026-08", "2026-07"]  # reported in the order given
    assert outcomes[0].warnings > 0 and outcomes[1].warnings == 0


def test_an_empty_folder_is_a_usage_error(tmp_path, store, sudan):
    with pytest.raises(MatrixError, match="no workbooks"):
        collect(sudan, [tmp_path], store)
