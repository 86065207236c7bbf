"""Every read of the store, as SQLAlchemy Core statements that mean the same on SQLite and
PostgreSQL. Figures computed in SQL (issue 15's aggregation) belong here too."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import ProgressRecord
from matrix.store.rows import StoredRow, Submission
from matrix.store.tables import plans, progress, proposed_activities, submissions

STREAM = {"yield_per": 20_000}
"""Rows fetched at a time when a query is read as it goes (a server-side cursor on PostgreSQL)."""
RECORD = [progress.c[name] for name in ProgressRecord._fields]
"""The progress columns a `ProgressRecord` is made of, in its order."""
_PROVENANCE = [
    submissions.c.period,
    submissions.c.id.label("submission_id"),
    submissions.c.received_at,
    submissions.c.file_name,
]


def _of_plan(plan: Plan) -> ColumnElement[bool]:
    return submissions.c.plan_ref.in_(select(plans.c.id).where(plans.c.plan_id == plan.id))


def _current(plan: Plan) -> list[ColumnElement[bool]]:
    """The progress that counts: from accepted returns of this plan that no later return superseded."""
    return [
        _of_plan(plan),
        submissions.c.outcome == "accepted",
        submissions.c.superseded_by.is_(None),
    ]


def _progress_of_current(plan: Plan, *columns: Any) -> Select:
    return (
        select(*columns)
        .select_from(progress.join(submissions, submissions.c.id == progress.c.submission_id))
        .where(*_current(plan))
    )


def submissions_of(conn: Connection, plan: Plan, period: str | None = None) -> list[Submission]:
    """Every submission for this plan (optionally one period), oldest first, with its countries:
    found by seeking from one country to the next in the progress key (a few index look-ups per
    file) rather than reading every row of every file."""
    first = (
        select(func.min(progress.c.country))
        .where(progress.c.submission_id == submissions.c.id)
        .scalar_subquery()
    )
    found = (
        select(submissions.c.id, first.label("country"))
        .where(_of_plan(plan))
        .cte("found", recursive=True)
    )
    following = (
        select(func.min(progress.c.country))
        .where(progress.c.submission_id == found.c.id, progress.c.country > found.c.country)
        .scalar_subquery()
    )
    found = found.union_all(select(found.c.id, following).where(found.c.country.is_not(None)))
    countries = (
        select(found.c.id, func.aggregate_strings(found.c.country, ",").label("list"))
        .where(found.c.country.is_not(None))
        .group_by(found.c.id)
        .subquery("countries")
    )
    s = submissions.c
    query = (
        select(
            s.id,
            s.file_name,
            s.sha256,
            s.received_at,
            s.office,
            s.period,
            s.outcome,
            s.superseded_by,
            s.errors,
            s.warnings,
            s.problems,
            s.row_count,
            countries.c.list,
        )
        .select_from(submissions.outerjoin(countries, countries.c.id == s.id))
        .where(_of_plan(plan))
        .order_by(s.id)
    )
    if period:
        query = query.where(s.period == period)
    return [
        Submission(
            id=r.id,
            file_name=r.file_name,
            sha256=r.sha256,
            received_at=datetime.fromisoformat(r.received_at),
            office=r.office,
            period=r.period,
            accepted=r.outcome == "accepted",
            superseded_by=r.superseded_by,
            errors=r.errors,
            warnings=r.warnings,
            problems=[Issue.model_validate(i) for i in json.loads(r.problems)],
            row_count=r.row_count,
            countries=frozenset(r.list.split(",")) if r.list else frozenset(),
        )
        for r in conn.execute(query)
    ]


def current_rows(
    conn: Connection, plan: Plan, period: str | None = None, country: str | None = None
) -> Iterator[StoredRow]:
    """Rows of current returns with where they came from, oldest return first: a later row for
    the same (period, country, ref) replaces an earlier one."""
    query = _progress_of_current(plan, *_PROVENANCE, *RECORD).order_by(submissions.c.id)
    if period:
        query = query.where(submissions.c.period == period)
    if country:
        query = query.where(progress.c.country == country)
    for r in conn.execute(query):
        yield StoredRow(
            period=r.period,
            row=_record(r),
            submission_id=r.submission_id,
            received_at=datetime.fromisoformat(r.received_at),
            file_name=r.file_name,
        )


def progress_records(
    conn: Connection, plan: Plan, period: str, country: str | None = None
) -> Iterator[ProgressRecord]:
    """The current rows of one period, oldest return first, read as they are used."""
    query = _progress_of_current(plan, *RECORD).where(submissions.c.period == period)
    if country is not None:
        query = query.where(progress.c.country == country)
    return map(ProgressRecord._make, raw_cursor(conn, query.order_by(submissions.c.id)))


def raw_cursor(conn: Connection, query: Select) -> Iterable[tuple]:
    """The driver's own cursor over `query`, in the connection's transaction: plain tuples cost a
    fifth of SQLAlchemy rows, which counts when a report reads millions (a server-side cursor on
    PostgreSQL, fetching STREAM rows at a time). Failures are the driver's (`DATABASE_ERRORS`)."""
    compiled = query.compile(dialect=conn.dialect)
    driver = conn.connection.driver_connection
    if compiled.positiontup is not None:  # SQLite's ?
        return driver.execute(
            str(compiled), [compiled.params[name] for name in compiled.positiontup]
        )
    cursor = driver.cursor(name=f"matrix_{id(query):x}")
    cursor.itersize = STREAM["yield_per"]
    cursor.execute(str(compiled), compiled.params)
    return cursor


def latest_before(
    conn: Connection,
    plan: Plan,
    earlier: list[str],
    *,
    countries: Collection[str] | None = None,
    with_actual: bool = False,
) -> Iterator[ProgressRecord]:
    """Each (country, ref)'s latest current row from the `earlier` periods (oldest first), found in
    SQL so a store with years of returns does not pass through Python row by row."""
    if not earlier:
        return iter(())
    rank = case({period: rank for rank, period in enumerate(earlier)}, value=submissions.c.period)
    latest = func.row_number().over(
        partition_by=(progress.c.country, progress.c.ref),
        order_by=(rank.desc(), submissions.c.id.desc()),
    )
    query = _progress_of_current(plan, *RECORD, latest.label("latest")).where(
        submissions.c.period.in_(earlier)
    )
    if with_actual:
        query = query.where(progress.c.actual.is_not(None))
    if countries is not None:
        query = query.where(progress.c.country.in_(list(countries)))
    ranked = query.subquery()
    chosen = select(*(ranked.c[name] for name in ProgressRecord._fields)).where(
        ranked.c.latest == 1
    )
    return map(ProgressRecord._make, conn.execute(chosen))


def proposed(conn: Connection, plan: Plan, period: str) -> list[tuple[str, dict[str, object]]]:
    """New activities offices proposed in their current returns for `period`: (office, fields)."""
    fields = [c for c in proposed_activities.columns if c.name != "submission_id"]
    query = (
        select(submissions.c.office, *fields)
        .select_from(
            proposed_activities.join(
                submissions, submissions.c.id == proposed_activities.c.submission_id
            )
        )
        .where(*_current(plan), submissions.c.period == period)
        .order_by(submissions.c.office, proposed_activities.c.sheet, proposed_activities.c.row)
    )
    return [(r.office, {c.name: r._mapping[c] for c in fields}) for r in conn.execute(query)]


def accepted_periods(conn: Connection, plan: Plan) -> dict[str, tuple[int, str]]:
    """Period -> (accepted returns, their offices) for every period stored for this plan."""
    query = (
        select(submissions.c.period, submissions.c.office, func.count().label("files"))
        .where(
            _of_plan(plan), submissions.c.outcome == "accepted", submissions.c.period.is_not(None)
        )
        .group_by(submissions.c.period, submissions.c.office)
    )
    found: dict[str, tuple[int, set[str]]] = {}
    for r in conn.execute(query):
        files, offices = found.get(r.period, (0, set()))
        found[r.period] = (files + r.files, offices | {str(r.office)})
    return {
        period: (files, ", ".join(sorted(offices))) for period, (files, offices) in found.items()
    }


def _record(row: Row) -> ProgressRecord:
    mapping = row._mapping
    return ProgressRecord(*(mapping[name] for name in ProgressRecord._fields))
