"""Returns collected before a plan revision keep counting for the rows they were reported for:
a stored row keeps its version's ref (LEG-1) and every read maps it to the current one (LEG-1.1)
in SQL, on both backends."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from matrix.models.plan import Plan
from matrix.plan import plan_index
from matrix.report.source import from_store
from matrix.store import queries
from store_helpers import make_result

pytest_plugins = ["store_fixtures"]

Q3, Q4 = "2026-Q3", "2026-Q4"
EARLY = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ON_TIME = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)


def revised(plan: Plan, edit: Callable[[dict], None]) -> Plan:
    """`plan` with `edit` applied to each of its activities (as dumped)."""
    data = plan.model_dump()
    for objective in data["objectives"]:
        for activity in objective["activities"]:
            edit(activity)
    return Plan.model_validate(data)


def second_indicator(activity: dict) -> None:
    """LEG-1 gets a second indicator, so its one row LEG-1 becomes LEG-1.1."""
    if activity["id"] == "LEG-1":
        first = activity["indicators"][0]
        activity["indicators"].append({**first, "name": "Laws amended", "target": 2})


def two_named_indicators(order: tuple[str, ...]) -> Callable[[dict], None]:
    """LEG-1 with indicators `reviews` and `laws` (ids), those of `order` in that order."""

    def edit(activity: dict) -> None:
        if activity["id"] == "LEG-1":
            first = activity["indicators"][0]
            named = {
                "reviews": {**first, "id": "reviews"},
                "laws": {**first, "id": "laws", "name": "Laws amended", "target": 2},
            }
            activity["indicators"] = [named[key] for key in order]

    return edit


def with_actual(result, ref: str, actual: float):
    """`result` with the row `ref` of its own office reporting `actual`."""
    office = result.identity.office
    rows = [
        r.model_copy(update={"actual": actual}) if (r.country, r.ref) == (office, ref) else r
        for r in result.rows
    ]
    return result.model_copy(update={"rows": rows})


def test_rows_collected_under_an_earlier_version_are_read_under_their_current_refs(store, dar):
    store.record(with_actual(make_result(dar, "KEN", Q3), "LEG-1", 1), dar)
    v2 = revised(dar, second_indicator)

    counted = {s.row.ref: s.row.actual for s in store.current_rows(v2, Q3, "KEN")}
    assert counted["LEG-1.1"] == 1 and "LEG-1" not in counted
    assert store.latest_progress(v2, Q4)[("KEN", "LEG-1.1")].actual == 1  # generate --prefill
    assert store.previous_actuals(v2, ["KEN"], Q4)[("KEN", "LEG-1.1")] == 1  # validation
    assert store.earlier(v2, ["KEN"], Q4)[("KEN", "LEG-1.1")].period == Q3
    assert {r.ref for r in store.progress(v2, Q3, "KEN")} >= {"LEG-1.1"}
    # the stored rows themselves are never rewritten: the earlier version still reads them
    assert {s.row.ref for s in store.current_rows(dar, Q3, "KEN")} >= {"LEG-1"}


def test_the_report_counts_a_renamed_row_in_the_periods_before_the_revision(store, dar):
    """LEG-1 counted per period: 1 in Q3 (as LEG-1), 2 in Q4 (as LEG-1.1) make 3 to date."""

    def per_period(activity: dict) -> None:
        if activity["id"] == "LEG-1":
            activity["indicators"][0].update(periods="per_period", cumulative=False)

    v1 = revised(dar, per_period)
    store.record(with_actual(make_result(v1, "KEN", Q3), "LEG-1", 1), v1)
    v2 = revised(v1, second_indicator)
    store.record(with_actual(make_result(v2, "KEN", Q4), "LEG-1.1", 2), v2)

    report = from_store(v2, store, Q4)
    figures = {f.ref: f for f in report.indicator_figures}
    assert figures["LEG-1.1"].value == 3
    assert "LEG-1" not in figures


def test_a_countrys_own_return_of_an_earlier_version_counts_over_a_regional_workbook(store, dar):
    """KEN's own return (version 1, LEG-1 = 1) and the bureau's workbook made after the revision
    (version 2, LEG-1.1 = 2 on KEN's sheet) report the same row: the country's own counts, and the
    disagreement is found."""
    store.record(with_actual(make_result(dar, "KEN", Q3), "LEG-1", 1), dar, received_at=ON_TIME)
    v2 = revised(dar, second_indicator)
    regional = make_result(v2, "EHAGL", Q3, actual=2)
    rows = [r for r in regional.rows if r.country in ("KEN", "EHAGL")]
    store.record(regional.model_copy(update={"rows": rows}), v2, received_at=EARLY)

    counted = {s.row.ref: (s.row.actual, s.file_name) for s in store.current_rows(v2, Q3, "KEN")}
    assert counted["LEG-1.1"] == (1, "KEN_2026-Q3.xlsx")
    assert counted["LEG-1.2"] == (2, "EHAGL_2026-Q3.xlsx")  # only the workbook reports it
    assert "LEG-1" not in counted
    found = {(o.counted.ref, o.other.ref) for o in store.overlaps(v2, country="KEN")}
    assert ("LEG-1.1", "LEG-1.1") in found


def test_indicators_reordered_keep_their_own_history(store, dar):
    v1 = revised(dar, two_named_indicators(("reviews", "laws")))
    result = with_actual(with_actual(make_result(v1, "KEN", Q3), "LEG-1.1", 1), "LEG-1.2", 7)
    store.record(result, v1)
    v2 = revised(dar, two_named_indicators(("laws", "reviews")))

    counted = {s.row.ref: s.row.actual for s in store.current_rows(v2, Q3, "KEN")}
    assert (counted["LEG-1.1"], counted["LEG-1.2"]) == (7, 1)  # laws first now


def test_a_removed_row_does_not_count_for_the_row_that_took_its_ref(dar):
    v1 = revised(dar, two_named_indicators(("reviews", "laws")))
    v2 = revised(dar, two_named_indicators(("laws", "reviews")))
    assert plan_index(v2).renamed_from(plan_index(v1)) == {
        "LEG-1.1": "LEG-1.2",
        "LEG-1.2": "LEG-1.1",
    }

    def laws_only(activity: dict) -> None:
        two_named_indicators(("laws", "reviews"))(activity)
        if activity["id"] == "LEG-1":
            activity["indicators"] = activity["indicators"][:1]

    v3 = revised(dar, laws_only)  # reviews removed; laws is LEG-1 now
    assert plan_index(v3).renamed_from(plan_index(v1)) == {"LEG-1.2": "LEG-1"}
    assert plan_index(v3).renamed_from(plan_index(v2)) == {"LEG-1.1": "LEG-1"}
    assert plan_index(dar).renamed_from(plan_index(dar)) == {}


def test_a_removed_row_whose_ref_was_taken_is_kept_apart(store, dar):
    v1 = revised(dar, two_named_indicators(("reviews", "laws")))

    def laws_and_a_new_one(activity: dict) -> None:
        if activity["id"] == "LEG-1":
            first = activity["indicators"][0]
            activity["indicators"] = [
                {**first, "id": "laws", "name": "Laws amended", "target": 2},
                {**first, "id": "decrees", "name": "Decrees", "target": 3},
            ]

    v2 = revised(dar, laws_and_a_new_one)
    assert plan_index(v2).renamed_from(plan_index(v1)) == {
        "LEG-1.1": "LEG-1.1.removed",
        "LEG-1.2": "LEG-1.1",
    }
    result = with_actual(with_actual(make_result(v1, "KEN", Q3), "LEG-1.1", 1), "LEG-1.2", 7)
    store.record(result, v1)
    counted = {s.row.ref: s.row.actual for s in store.current_rows(v2, Q3, "KEN")}
    assert counted["LEG-1.1"] == 7  # laws
    assert "LEG-1.2" not in counted  # decrees: nobody reported it
    assert counted["LEG-1.1.removed"] == 1  # reviews: kept, under a ref no plan row has


def test_every_stored_version_is_mapped_on_its_own(store, dar):
    """Q3 under version 1 (LEG-1: reviews), Q4 under version 2 (LEG-1.1 reviews, LEG-1.2 laws),
    read under version 3 (laws first): each period's rows land on their own current rows."""
    v1 = revised(dar, two_named_indicators(("reviews",)))
    store.record(with_actual(make_result(v1, "KEN", Q3), "LEG-1", 1), v1)
    v2 = revised(dar, two_named_indicators(("reviews", "laws")))
    result = with_actual(with_actual(make_result(v2, "KEN", Q4), "LEG-1.1", 2), "LEG-1.2", 8)
    store.record(result, v2)
    v3 = revised(dar, two_named_indicators(("laws", "reviews")))

    rows = {(s.period, s.row.ref): s.row.actual for s in store.current_rows(v3, country="KEN")}
    assert rows[(Q3, "LEG-1.2")] == 1 and (Q3, "LEG-1.1") not in rows
    assert rows[(Q4, "LEG-1.2")] == 2 and rows[(Q4, "LEG-1.1")] == 8


@pytest.mark.parametrize("damage", ["truncated", "unknown framework"])
def test_a_stored_version_that_cannot_be_read_leaves_its_rows_as_they_were(store, dar, damage):
    store.record(with_actual(make_result(dar, "KEN", Q3), "LEG-1", 1), dar)
    snapshot = dar.model_dump(mode="json")
    snapshot["framework"] = "no-such-framework"
    damaged = dar.model_dump_json()[:40] if damage == "truncated" else json.dumps(snapshot)
    with store.conn.begin():
        store.conn.execute(text("UPDATE plans SET snapshot = :damaged"), {"damaged": damaged})
    v2 = revised(dar, second_indicator)

    counted = {s.row.ref: s.row.actual for s in store.current_rows(v2, Q3, "KEN")}
    assert counted["LEG-1"] == 1 and "LEG-1.1" not in counted


@pytest.mark.parametrize("at_once", [1, 2_000])
def test_rows_read_by_key_are_those_a_whole_read_counts(store, dar, monkeypatch, at_once):
    """The few rows a report lists are read by (country, current ref), in statements of
    `at_once` pairs, and are the rows a read of the whole period counts: with the indicators'
    refs swapped since, and a regional workbook reporting the country's rows too."""
    monkeypatch.setattr(queries, "KEYS_AT_ONCE", at_once)
    v1 = revised(dar, two_named_indicators(("reviews", "laws")))
    own = with_actual(with_actual(make_result(v1, "KEN", Q3), "LEG-1.1", 1), "LEG-1.2", 7)
    store.record(own, v1, received_at=ON_TIME)
    store.record(make_result(v1, "EHAGL", Q3, actual=2), v1, received_at=EARLY)
    v2 = revised(dar, two_named_indicators(("laws", "reviews")))

    with store.reading():
        whole = {(r.country, r.ref): r for r in store.progress(v2, Q3)}
        by_key = {key: [*store.progress_of(v2, Q3, [key])] for key in whole}
        together = {(r.country, r.ref): r for r in store.progress_of(v2, Q3, sorted(whole))}
    assert (whole[("KEN", "LEG-1.1")].actual, whole[("KEN", "LEG-1.2")].actual) == (7, 1)
    assert by_key == {key: [record] for key, record in whole.items()}
    assert together == whole
