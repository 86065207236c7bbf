"""Which reported value counts: one rule (store/queries) for collect, status, history, export,
the report and prefill, whatever order the files are collected in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matrix.codes import Code
from matrix.export import dataset
from matrix.models.plan import Plan, Status
from matrix.models.returns import ValidationResult
from matrix.report.source import from_store
from matrix.status import ReturnState, history, render_history, status
from matrix.store import Outcome, Store
from store_helpers import make_result

pytest_plugins = ["store_fixtures"]

PERIOD = "2026-Q3"  # the Dar es Salaam plan's first quarter, due on 21 October 2026
EARLY = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ON_TIME = datetime(2026, 10, 10, 9, 0, tzinfo=UTC)
LATE = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)


def regional(
    plan: Plan, period: str, countries: set[str], *, actual: float, content: str = ""
) -> ValidationResult:
    """The regional bureau's workbook with the sheets of `countries` (and the region-wide one)
    filled in, the others left blank (so not stored)."""
    result = make_result(plan, "EHAGL", period, actual=actual, content=content)
    kept = [r for r in result.rows if r.country in countries or r.country == "EHAGL"]
    return result.model_copy(update={"rows": kept})


def with_blank_row(result: ValidationResult, ref: str) -> ValidationResult:
    """The same return with the row `ref` of its own country left empty."""
    office = result.identity.office
    rows = [
        r.model_copy(update={"status": None, "actual": None, "comments": ""})
        if (r.country, r.ref) == (office, ref)
        else r
        for r in result.rows
    ]
    return result.model_copy(update={"rows": rows, "sha256": f"{result.sha256[:-6]}blank1"})


def values(store: Store, plan: Plan, country: str) -> dict[str, tuple[float | None, str]]:
    """ref -> (actual, file) of the rows that count for `country` in PERIOD."""
    return {
        s.row.ref: (s.row.actual, s.file_name) for s in store.current_rows(plan, PERIOD, country)
    }


def test_a_countrys_own_return_counts_over_a_regional_workbook_collected_later(store, dar):
    """The issue's case: KEN returns (received 10 October), the bureau's workbook with a sheet for
    KEN is collected afterwards although received earlier (5 October)."""
    store.record(make_result(dar, "KEN", PERIOD, actual=1), dar, received_at=ON_TIME)
    store.record(regional(dar, PERIOD, {"KEN", "ETH"}, actual=2), dar, received_at=EARLY)
    kenya = values(store, dar, "KEN")
    assert kenya and set(kenya.values()) == {(1, f"KEN_{PERIOD}.xlsx")}
    assert set(values(store, dar, "ETH").values()) == {(2, f"EHAGL_{PERIOD}.xlsx")}
    [ken] = [o for o in status(dar, store, PERIOD).offices if o.office == "KEN"]
    assert (ken.state, ken.file, ken.via) == (ReturnState.RETURNED, f"KEN_{PERIOD}.xlsx", None)
    exported = {
        r["ref"]: (r["actual"], r["source_file"])
        for r in dataset(dar, store, PERIOD)
        if r["country"] == "KEN"
    }
    assert exported == kenya
    entries = history(dar, store, "KEN")
    assert {(e.actual, e.file) for e in entries} == {(1, f"KEN_{PERIOD}.xlsx")}
    ref = entries[0].ref
    said = Code.VALUE_OVERLAP.message(
        country="KEN",
        ref=ref,
        period=PERIOD,
        other=f"the regional workbook of EHAGL (EHAGL_{PERIOD}.xlsx)",
        theirs="actual 2",
        counted=f"KEN's own return (KEN_{PERIOD}.xlsx)",
        ours="actual 1",
        counts="KEN's own return",
    )
    assert said in [issue.message for issue in entries[0].disagreeing]
    assert f"note: {said}" in render_history(entries)


def test_the_regional_workbook_fills_rows_a_country_left_blank(store, dar):
    own = make_result(dar, "KEN", PERIOD, actual=1)
    blank_ref = own.rows[0].ref
    store.record(with_blank_row(own, blank_ref), dar, received_at=ON_TIME)
    store.record(regional(dar, PERIOD, {"KEN"}, actual=2), dar, received_at=LATE)  # own still first
    kenya = values(store, dar, "KEN")
    assert kenya.pop(blank_ref) == (2, f"EHAGL_{PERIOD}.xlsx")
    assert set(kenya.values()) == {(1, f"KEN_{PERIOD}.xlsx")}
    # a row left blank is no disagreement; the other rows are
    assert blank_ref not in {o.counted.ref for o in store.overlaps(dar)}
    assert len(store.overlaps(dar)) == len(kenya)


def test_the_latest_received_return_of_an_office_counts_whatever_the_collection_order(store, dar):
    later = make_result(dar, "KEN", PERIOD, actual=3, content="resent")
    earlier = make_result(dar, "KEN", PERIOD, actual=4, content="first")
    first = store.record(later, dar, received_at=LATE)
    second = store.record(earlier, dar, received_at=ON_TIME)
    assert (first.outcome, second.outcome) == (Outcome.ACCEPTED, Outcome.OUTDATED)
    assert set(values(store, dar, "KEN").values()) == {(3, f"KEN_{PERIOD}.xlsx")}
    files = {s.id: s for s in store.submissions(dar, PERIOD)}
    assert files[first.submission_id].current and files[second.submission_id].superseded
    [ken] = [o for o in status(dar, store, PERIOD).offices if o.office == "KEN"]
    assert ken.state is ReturnState.RETURNED  # the first return arrived on time
    third = store.record(
        make_result(dar, "KEN", PERIOD, actual=5, content="third"),
        dar,
        received_at=LATE.replace(day=31),
    )
    assert (third.outcome, third.superseded_id) == (Outcome.SUPERSEDED, first.submission_id)
    assert {v for v, _ in values(store, dar, "KEN").values()} == {5}


def test_prefill_takes_the_value_that_counts(store, dar):
    store.record(make_result(dar, "KEN", PERIOD, actual=1), dar, received_at=ON_TIME)
    store.record(regional(dar, PERIOD, {"KEN"}, actual=2), dar, received_at=LATE)
    prefill = store.latest_progress(dar, "2026-Q4")
    assert {r.actual for (country, _), r in prefill.items() if country == "KEN"} == {1}
    previous = store.previous_actuals(dar, None, "2026-Q4")
    assert {v for (country, _), v in previous.items() if country == "KEN"} <= {1}


def test_lateness_is_the_earliest_accepted_return_for_the_office_in_status_report_and_export(
    store, dar
):
    """KEN's own return came late, but the regional workbook reporting for KEN was on time."""
    store.record(make_result(dar, "KEN", PERIOD, actual=1), dar, received_at=LATE)
    store.record(regional(dar, PERIOD, {"KEN"}, actual=1), dar, received_at=ON_TIME)
    store.record(make_result(dar, "ETH", PERIOD, actual=1), dar, received_at=LATE)
    states = {o.office: o.state for o in status(dar, store, PERIOD).offices}
    assert (states["KEN"], states["ETH"], states["TZA"]) == (
        ReturnState.RETURNED,
        ReturnState.LATE,
        ReturnState.MISSING,
    )
    exported = {
        r["country"]: (r["return_state"], r["days_late"]) for r in dataset(dar, store, PERIOD)
    }
    assert exported["KEN"] == ("returned", None)
    assert exported["ETH"] == ("late", 9)
    assert exported["TZA"] == ("missing", None)
    with store.reading():
        report = from_store(dar, store, PERIOD, generated_at=EARLY)
    shown = {r.office: (r.state, r.days_late) for r in report.returns}
    assert (shown["KEN"], shown["ETH"], shown["TZA"]) == (
        ("on_time", None),
        ("late", 9),
        ("missing", None),
    )


# --- the result does not depend on the order files are collected in ------------------------------


def _files(plan: Plan) -> list[tuple[ValidationResult, datetime]]:
    """Own, regional, resent and backlog returns of two periods, with when each was received."""
    ken = make_result(plan, "KEN", PERIOD, actual=1)
    return [
        (ken, ON_TIME),
        (
            with_blank_row(
                make_result(plan, "KEN", PERIOD, actual=3, content="resent"), ken.rows[1].ref
            ),
            LATE,
        ),
        (regional(plan, PERIOD, {"KEN", "ETH", "TZA"}, actual=2), EARLY),
        (make_result(plan, "ETH", PERIOD, actual=7), LATE.replace(day=29)),
        (
            regional(plan, "2026-Q4", {"MOZ"}, actual=9, content="q4"),
            datetime(2027, 1, 10, tzinfo=UTC),
        ),
        (make_result(plan, "MOZ", "2026-Q4", actual=8), datetime(2027, 1, 30, tzinfo=UTC)),
        (
            make_result(plan, "ETH", "2026-Q4", actual=6, rejected=True),
            datetime(2027, 1, 5, tzinfo=UTC),
        ),
        (
            make_result(plan, "TZA", "2026-Q4", actual=5, content="early"),
            datetime(2027, 1, 3, tzinfo=UTC),
        ),
        (
            make_result(plan, "TZA", "2026-Q4", actual=4, content="backlog"),
            datetime(2027, 1, 2, tzinfo=UTC),
        ),
    ]


def _state(store: Store, plan: Plan) -> dict[str, object]:
    """Everything a user sees of the store, without the ids the collection order decides."""
    rows = sorted((s.period, s.row, s.file_name, s.received_at) for s in store.current_rows(plan))
    overlaps = sorted(
        (o.counted.period, o.counted.country, o.counted.ref, o.counted.file_name, o.other.file_name)
        for o in store.overlaps(plan)
    )
    export = [{k: v for k, v in row.items()} for row in dataset(plan, store)]
    reports = {}
    with store.reading():
        for period in ("2026-Q3", "2026-Q4"):
            context = from_store(plan, store, period, generated_at=EARLY)
            reports[period] = (
                context.model_dump() if hasattr(context, "model_dump") else repr(context)
            )
    return {
        "rows": rows,
        "overlaps": overlaps,
        "status": {p: status(plan, store, p).as_json() for p in ("2026-Q3", "2026-Q4")},
        "export": export,
        "history": {
            c: [e.as_json() for e in history(plan, store, c)] for c in ("KEN", "TZA", "MOZ")
        },
        "reports": reports,
    }


def _collected(store_url: str, plan: Plan, order: list[int]) -> dict[str, object]:
    files = _files(plan)
    with Store.open(store_url) as store:
        for n in order:
            result, received = files[n]
            store.record(result, plan, received_at=received)
        return _state(store, plan)


def _new_store(backend: str, tmp_path, request) -> str:
    if backend == "sqlite":
        return str(tmp_path / f"{uuid.uuid4().hex}.sqlite")
    server = request.getfixturevalue("postgres")
    return server.url(server.database())


def test_every_collection_order_gives_the_same_store_state(backend, tmp_path, request, dar):
    count = len(_files(dar))
    expected = _collected(_new_store(backend, tmp_path, request), dar, list(range(count)))
    assert expected["overlaps"] and expected["rows"]
    tza = {
        row.actual
        for period, row, _, _ in expected["rows"]
        if period == "2026-Q4" and row.country == "TZA"
    }
    assert tza == {5}  # the backlog file received earlier does not replace the later one
    moz = {
        row.actual
        for period, row, _, _ in expected["rows"]
        if period == "2026-Q4" and row.country == "MOZ"
    }
    assert moz == {8}

    @settings(
        max_examples=12 if backend == "sqlite" else 6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.permutations(range(count)))
    def same_whatever_the_order(order: list[int]) -> None:
        assert _collected(_new_store(backend, tmp_path, request), dar, order) == expected

    same_whatever_the_order()


def test_status_of_a_regional_workbook_covering_a_country_is_returned_via_it(store, dar):
    store.record(regional(dar, PERIOD, {"KEN"}, actual=2), dar, received_at=ON_TIME)
    found = {o.office: o for o in status(dar, store, PERIOD).offices}
    assert (found["KEN"].state, found["KEN"].via) == (ReturnState.RETURNED, "EHAGL")
    assert found["ETH"].state is ReturnState.MISSING  # its sheet was left blank
    assert Status.ON_TRACK.value in {s.row.status for s in store.current_rows(dar, PERIOD, "KEN")}


def test_collect_says_which_value_counts_and_which_file_arrived_too_late_to(tmp_path, run, dar):
    from checkout import DAR
    from store_helpers import returned_matrix

    own = returned_matrix(dar, PERIOD, tmp_path / "ken", office="KEN", share=0.5)
    bureau = returned_matrix(
        dar, PERIOD, tmp_path / "bureau", regional=True, filled={"KEN", "EHAGL"}, share=0.25
    )
    older = returned_matrix(
        dar,
        PERIOD,
        tmp_path / "older",
        office="KEN",
        share=0.1,
        comments="First draft",
        name="KEN-first-draft.xlsx",
    )
    first = run("collect", own, "--plan", DAR, "--received", "2026-10-10")
    assert first.exit_code == 0, first.output
    second = run("collect", bureau, "--plan", DAR, "--received", "2026-10-05")
    assert second.exit_code == 0, second.output
    assert "value-overlap" in second.output and "KEN's own return counts" in second.output
    third = run("collect", older, "--plan", DAR, "--received", "2026-10-01")
    assert third.exit_code == 0 and "1 superseded on arrival" in third.output
    shown = run("history", "KEN", "--plan", DAR)
    assert own.name in shown.output and older.name not in shown.output
    assert "note: KEN" in shown.output and bureau.name in shown.output
