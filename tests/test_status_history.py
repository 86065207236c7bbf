"""Who has returned what for a period, and what a country reported period by period."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matrix.errors import MatrixError
from matrix.plan import expected_offices
from matrix.status import (
    ReturnState,
    history,
    render_history,
    render_status,
    status,
)
from store_helpers import make_result

pytest_plugins = ["store_fixtures"]

ON_TIME = datetime(2026, 8, 5, 9, 0, tzinfo=UTC)  # Sudan's July returns are due on 10 August
LATE = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


def states(found) -> dict[str, ReturnState]:
    return {o.office: o.state for o in found.offices}


def test_missing_until_returned(store, sudan):
    found = status(sudan, store, "2026-07")
    assert states(found) == {"SDN": ReturnState.MISSING} and not found.complete
    assert found.due.isoformat() == "2026-08-10"
    store.record(make_result(sudan, "SDN", "2026-07"), sudan, received_at=ON_TIME)
    found = status(sudan, store, "2026-07")
    assert states(found) == {"SDN": ReturnState.RETURNED} and found.complete
    assert found.offices[0].latest_return == ON_TIME


def test_late_return(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07"), sudan, received_at=LATE)
    assert states(status(sudan, store, "2026-07")) == {"SDN": ReturnState.LATE}
    assert status(sudan, store, "2026-07").complete


def test_a_late_correction_does_not_make_an_on_time_return_late(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=1), sudan, received_at=ON_TIME)
    store.record(make_result(sudan, "SDN", "2026-07", actual=2), sudan, received_at=LATE)
    [office] = status(sudan, store, "2026-07").offices
    assert office.state is ReturnState.RETURNED and office.latest_return == LATE


def test_rejected_until_a_good_file_arrives(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", rejected=True), sudan, received_at=ON_TIME)
    [office] = status(sudan, store, "2026-07").offices
    assert (office.state, office.errors) == (ReturnState.REJECTED, 1)
    assert office.reason == "O4: bad"
    store.record(make_result(sudan, "SDN", "2026-07"), sudan, received_at=ON_TIME)
    [office] = status(sudan, store, "2026-07").offices
    assert (office.state, office.errors, office.reason) == (ReturnState.RETURNED, 0, None)


def test_a_rejection_after_an_accepted_return_keeps_it_returned(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07"), sudan, received_at=ON_TIME)
    store.record(make_result(sudan, "SDN", "2026-07", rejected=True), sudan, received_at=LATE)
    [office] = status(sudan, store, "2026-07").offices
    assert office.state is ReturnState.RETURNED and office.latest_return == LATE


def test_regional_plan_expects_every_country_and_the_region(store, dar):
    assert expected_offices(dar) == [*dar.countries, "EHAGL"]
    store.record(make_result(dar, "KEN", "2026-Q3"), dar, received_at=ON_TIME)
    found = states(status(dar, store, "2026-Q3"))
    assert found["KEN"] is ReturnState.RETURNED and found["ETH"] is ReturnState.MISSING
    assert found["EHAGL"] is ReturnState.MISSING


def test_a_regional_return_covers_its_countries(store, dar):
    store.record(make_result(dar, "EHAGL", "2026-Q3"), dar, received_at=ON_TIME)
    found = status(dar, store, "2026-Q3")
    assert found.complete
    ethiopia = next(o for o in found.offices if o.office == "ETH")
    assert (ethiopia.state, ethiopia.via) == (ReturnState.RETURNED, "EHAGL")
    assert "returned (in EHAGL)" in render_status(found)


def test_status_json_and_text(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07"), sudan, received_at=ON_TIME)
    found = status(sudan, store, "2026-07")
    data = found.as_json()
    assert data["complete"] is True and data["offices"][0]["state"] == "returned"
    assert data["offices"][0]["latest_return"] == ON_TIME.isoformat()
    assert "1 of 1 office returned" in render_status(found)


def test_status_refuses_a_period_the_plan_does_not_have(store, sudan):
    with pytest.raises(MatrixError, match="quarter"):
        status(sudan, store, "2026-Q3")


def test_history_period_by_period(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-08", actual=6, comments="second"), sudan)
    store.record(make_result(sudan, "SDN", "2026-07", actual=3, comments="first"), sudan)
    entries = history(sudan, store, "sdn", "AP1-1")
    assert [(e.period, e.actual, e.comments) for e in entries] == [
        ("2026-07", 3, "first"),
        ("2026-08", 6, "second"),
    ]
    assert entries[0].target == 12 and entries[0].unit == "meetings"
    all_rows = history(sudan, store, "SDN")
    assert [e.ref for e in all_rows[:3]] == ["AP1-1", "AP1-2", "AP2-1.1"]
    assert [e.ref for e in history(sudan, store, "SDN", "AP2-1")] == ["AP2-1.1", "AP2-1.2"] * 2
    assert "2026-07  AP1-1" in render_history(entries)


def test_history_shows_only_what_counts(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=3), sudan)
    store.record(make_result(sudan, "SDN", "2026-07", actual=4), sudan)
    store.record(make_result(sudan, "SDN", "2026-07", rejected=True), sudan)
    assert [e.actual for e in history(sudan, store, "SDN", "AP1-1")] == [4]


def test_history_refuses_unknown_countries_and_activities(store, sudan):
    with pytest.raises(MatrixError, match="not an office of this plan"):
        history(sudan, store, "KEN")
    with pytest.raises(MatrixError, match="activity 'AP99'"):
        history(sudan, store, "SDN", "AP99")
    assert render_history(history(sudan, store, "SDN")) == "nothing reported yet"
