"""Every read of the store, as SQLAlchemy Core statements that mean the same on SQLite and
PostgreSQL. Figures computed in SQL (issue 15's aggregation) belong here too."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import Connection, Dialect, Row
from sqlalchemy.sql.compiler import Compiled, SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from matrix.errors import MatrixError
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import ProgressRecord
from matrix.plan import plan_index
from matrix.store.rows import Overlap, Reported, StoredRow, Submission
from matrix.store.tables import plans, progress, proposed_activities, submissions

_CURSORS = itertools.count(1)
"""Names of server-side cursors: several may be open in one transaction."""
STREAM = {"yield_per": 20_000}
"""Rows fetched at a time when a query is read as it goes (a server-side cursor on PostgreSQL)."""
RECORD = [progress.c[name] for name in ProgressRecord._fields]
"""The progress columns a `ProgressRecord` is made of, in its order."""
BRIEF = [
    progress.c[name] if name != "next_steps" else literal_column("''").label(name)
    for name in ProgressRecord._fields
]
"""A `ProgressRecord` with what a report's summaries are worked out from: all but the next
steps, which it reads only for the rows it lists."""
_PROVENANCE = [
    submissions.c.period,
    submissions.c.id.label("submission_id"),
    submissions.c.received_at,
    submissions.c.file_name,
]


def _of_plan(plan_id: str | BindParameter[str]) -> ColumnElement[bool]:
    return submissions.c.plan_ref.in_(select(plans.c.id).where(plans.c.plan_id == plan_id))


# --- which reported value counts -----------------------------------------------------------------
# The one rule, in SQL so that it is the same on SQLite and PostgreSQL and whatever aggregates
# progress in the database builds on it:
# 1. Of an office's accepted returns for a period, the latest *received* counts, then the latest
#    collected (`counting_returns`); the others are superseded, whatever order they came in.
# 2. For each (period, country, row), among the returns that count, a row with something in it
#    comes first, then the country's own return before a regional workbook's country sheet, then
#    the latest received, then the latest collected (`PRECEDENCE`): a country's own return is
#    authoritative, a regional workbook fills the rows of countries that sent nothing or left a
#    row blank.

s_, p_ = submissions.c, progress.c
BLANK = and_(
    p_.status.is_(None),
    p_.actual.is_(None),
    p_.funds_secured.is_(None),
    p_.comments == "",
    p_.next_steps == "",
    p_.support_needed == "",
)
"""A row the office left empty: no status, actual, funds or text."""
OWN = s_.office == p_.country
"""The row comes from the country's own return (or the region's, for region-wide rows)."""
LATEST_RETURN = (s_.received_at.desc(), s_.id.desc())
PRECEDENCE = (case((BLANK, 1), else_=0), case((OWN, 0), else_=1), *LATEST_RETURN)
"""Order of the candidate rows for one (period, country, ref): the first one counts."""
COMPARED = ("status", "actual", "funds_secured")
"""The reported figures two returns may disagree on (`overlaps`)."""


def ranked_returns(
    plan_id: str | BindParameter[str],
    *,
    office: str | BindParameter[str] | None = None,
    period: str | BindParameter[str] | None = None,
) -> Select:
    """Accepted returns (id, superseded_by) of the plan ranked per office and period as `n`: 1 for
    the one that counts, the latest received (then the latest collected). Values or bound
    parameters, so that collect can build its statement once."""
    where = [_of_plan(plan_id), s_.outcome == "accepted", s_.period.is_not(None)]
    if office is not None:
        where.append(s_.office == office)
    if period is not None:
        where.append(s_.period == period)
    rank = func.row_number().over(partition_by=(s_.office, s_.period), order_by=LATEST_RETURN)
    return select(s_.id, s_.superseded_by, rank.label("n")).where(*where)


def counting_returns(plan: Plan, *, office: str | None = None, period: str | None = None) -> Select:
    """Ids of the accepted returns that count (`ranked_returns`)."""
    ranked = ranked_returns(plan.id, office=office, period=period).subquery("ranked_returns")
    return select(ranked.c.id).where(ranked.c.n == 1)


def _current(plan: Plan) -> list[ColumnElement[bool]]:
    """The returns that count (`counting_returns`)."""
    return [submissions.c.id.in_(counting_returns(plan))]


# --- rows collected under an earlier version of the plan -----------------------------------------
# A stored row keeps the ref of the plan version it was collected under. When a revision renamed
# rows (LEG-1 became LEG-1.1 once LEG-1 had a second indicator), every read maps the old refs to
# the current ones in SQL, so earlier periods count for the rows they were reported for.

Renamed = dict[int, dict[str, str]]
"""plans.id of a stored version -> {ref in that version: ref in the current plan}, for the
versions whose rows were renamed."""


def renamed_refs(conn: Connection, plan: Plan) -> Renamed:
    """The renamed rows of every stored version of the plan (`PlanIndex.renamed_from`), worked out
    once per plan and set of stored versions."""
    index = plan_index(plan)
    stored = conn.execute(
        select(plans.c.id, plans.c.hash).where(
            plans.c.plan_id == plan.id, plans.c.hash != index.content_hash
        )
    ).all()
    if not stored:
        return {}

    def work_out() -> Renamed:
        snapshots = conn.execute(
            select(plans.c.id, plans.c.snapshot).where(plans.c.id.in_([r.id for r in stored]))
        )
        renamed = {}
        for plan_ref, snapshot in snapshots:
            try:
                found = index.renamed_from(plan_index(Plan.model_validate_json(snapshot)))
            except (ValidationError, MatrixError):
                continue  # a version this release cannot read: its rows keep their refs
            if found:
                renamed[plan_ref] = found
        return renamed

    key = ("renamed_refs", frozenset((r.id, r.hash) for r in stored))
    return index.derived(key, work_out)


def _key(renamed: Renamed) -> tuple:
    """`renamed` as part of a cache key: a statement compiled for one mapping serves no other."""
    return tuple((plan_ref, tuple(refs.items())) for plan_ref, refs in sorted(renamed.items()))


def _current_ref(renamed: Renamed) -> ColumnElement[str]:
    """A stored row's ref in the current plan (the stored ref where nothing was renamed)."""
    if not renamed:
        return p_.ref
    return case(
        {plan_ref: case(refs, value=p_.ref, else_=p_.ref) for plan_ref, refs in renamed.items()},
        value=s_.plan_ref,
        else_=p_.ref,
    )


def _with_current_ref(columns: Iterable[Any], renamed: Renamed) -> list[Any]:
    """`columns` with the stored ref replaced by the current one, under the same name."""
    return [_current_ref(renamed).label("ref") if c is p_.ref else c for c in columns]


def _candidates(
    plan: Plan, *columns: Any, renamed: Renamed, where: Iterable[ColumnElement[bool]] = ()
) -> Select:
    """Every row of the returns that count, ranked by `PRECEDENCE` within its (period, country,
    current ref) as `n` (1: the row that counts), with `blank` set for an empty row."""
    ref = _current_ref(renamed)
    rank = func.row_number().over(partition_by=(s_.period, p_.country, ref), order_by=PRECEDENCE)
    return (
        select(
            *_with_current_ref(columns, renamed),
            rank.label("n"),
            case((BLANK, 1), else_=0).label("blank"),
        )
        .select_from(progress.join(submissions, s_.id == p_.submission_id))
        .where(*_current(plan), *where)
    )


def contested_periods(plan: Plan) -> Select:
    """Periods in which a regional workbook counts: the only ones where two returns may report
    the same row (a country's own return reports its own rows only, and one return per office
    counts). Elsewhere the rows of the returns that count are the rows that count, and reading
    them needs no ranking: a period of a global plan is hundreds of thousands of rows."""
    return select(s_.period).where(
        s_.id.in_(counting_returns(plan)), s_.office.not_in(list(plan.countries))
    )


PAIR = "\x1f"
"""Between a country and a ref in one text (the ASCII unit separator, in neither)."""


def _counted(
    plan: Plan,
    *columns: Any,
    renamed: Renamed,
    period: Any = None,
    country: Any = None,
    stored: list[tuple[str, str]] | None = None,
) -> CompoundSelect:
    """`columns` (progress and submission columns, by name) of the row that counts for every
    (period, country, current ref), optionally of one period and one country, or of the rows
    stored under these (country, ref) pairs: ranked by `PRECEDENCE` in contested periods, read as
    they are elsewhere."""
    where = []
    if period is not None:
        where.append(s_.period == period)
    if country is not None:
        where.append(p_.country == country)
    if stored is not None:  # one text per pair: a list PostgreSQL hashes (not rows it walks)
        pair = p_.country + literal(PAIR) + p_.ref
        where.append(pair.in_([f"{country}{PAIR}{ref}" for country, ref in stored]))
    contested = contested_periods(plan)
    ranked = _candidates(
        plan, *columns, renamed=renamed, where=[*where, s_.period.in_(contested)]
    ).subquery("candidates")
    alone = (
        select(*_with_current_ref(columns, renamed))
        .select_from(progress.join(submissions, s_.id == p_.submission_id))
        .where(*_current(plan), *where, s_.period.not_in(contested))
    )
    return union_all(alone, select(*(ranked.c[c.key] for c in columns)).where(ranked.c.n == 1))


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
        .where(_of_plan(plan.id))
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
            s.id.in_(counting_returns(plan, period=period)).label("counts"),
        )
        .select_from(submissions.outerjoin(countries, countries.c.id == s.id))
        .where(_of_plan(plan.id))
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
            counts=bool(r.counts),
        )
        for r in conn.execute(query)
    ]


def current_rows(
    conn: Connection, plan: Plan, period: str | None = None, country: str | None = None
) -> Iterator[StoredRow]:
    """The row that counts for every (period, country, ref), with the return it came from."""
    renamed = renamed_refs(conn, plan)
    query = _counted(plan, *_PROVENANCE, *RECORD, renamed=renamed, period=period, country=country)
    for r in conn.execute(query):
        yield StoredRow(
            period=r.period,
            row=_record(r),
            submission_id=r.submission_id,
            received_at=datetime.fromisoformat(r.received_at),
            file_name=r.file_name,
        )


def progress_records(
    conn: Connection,
    plan: Plan,
    period: str,
    country: str | None = None,
    *,
    brief: bool = False,
) -> Iterator[ProgressRecord]:
    """The rows that count in one period, one per (country, ref), read as they are used; `brief`:
    only what `BRIEF` reads. The statement is compiled once per plan (kept with its index): a
    report reads every period, and compiling the rule costs more than reading a small period."""
    dialect = conn.dialect
    renamed = renamed_refs(conn, plan)
    key = ("progress_records", dialect.name, dialect.driver, country is not None, brief)
    compiled = plan_index(plan).derived(
        (*key, _key(renamed)),
        lambda: _compiled(
            dialect,
            _counted(
                plan,
                *(BRIEF if brief else RECORD),
                renamed=renamed,
                period=bindparam("period_wanted", ""),
                country=None if country is None else bindparam("country_wanted", ""),
            ),
        ),
    )
    wanted = {"period_wanted": period, "country_wanted": country}
    return map(ProgressRecord._make, raw_cursor(conn, compiled, wanted))


KEYS_AT_ONCE = 10_000
"""(country, ref) pairs per statement at most: each statement reads through the period's rows
(SQLite), so a report's few thousand are best read in one."""


def _keys_at_once(conn: Connection) -> int:
    """KEYS_AT_ONCE, or fewer where the SQLite library limits the values one statement binds
    (999 before SQLite 3.32): two per pair, and a few for the rest of the statement."""
    if conn.dialect.name != "sqlite":
        return KEYS_AT_ONCE  # PostgreSQL binds up to 65,535
    driver: Any = conn.connection.driver_connection
    return max(
        1, min(KEYS_AT_ONCE, (driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 100) // 2)
    )


def progress_of(
    conn: Connection, plan: Plan, period: str, keys: list[tuple[str, str]]
) -> Iterator[ProgressRecord]:
    """The rows that count in one period for these (country, current ref) pairs, picked out by
    the database: the few rows whose texts a report shows, of a period it does not read into
    Python. A row stored under a ref the plan renamed since is found under its old ref."""
    renamed = renamed_refs(conn, plan)
    old_refs: dict[str, set[str]] = {}
    for refs in renamed.values():
        for old, new in refs.items():
            old_refs.setdefault(new, set()).add(old)
    wanted, at_once = sorted(set(keys)), _keys_at_once(conn)
    chunk: list[tuple[str, str]] = []
    units: set[tuple[str, str]] = set()
    for n, (country, ref) in enumerate(wanted):  # a row's old refs in the same statement
        chunk += [(country, stored) for stored in sorted({ref, *old_refs.get(ref, ())})]
        units.add((country, ref))
        if len(chunk) >= at_once or n == len(wanted) - 1:
            query = _counted(plan, *RECORD, renamed=renamed, period=period, stored=chunk)
            for record in map(ProgressRecord._make, raw_cursor(conn, query)):
                if (record.country, record.ref) in units:
                    yield record
            chunk, units = [], set()


def _compiled(dialect: Dialect, query: Select | CompoundSelect) -> Compiled:
    return query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})


def raw_cursor(
    conn: Connection,
    query: Select | CompoundSelect | Compiled,
    values: dict[str, Any] | None = None,
) -> Iterable[tuple]:
    """The driver's own cursor over `query` (with its bound `values`), in the connection's
    transaction: plain tuples cost a fifth of SQLAlchemy rows, which counts when a report reads
    millions (a server-side cursor on PostgreSQL, fetching STREAM rows at a time). Failures are
    the driver's (`DATABASE_ERRORS`)."""
    compiled = query if isinstance(query, Compiled) else _compiled(conn.dialect, query)
    assert isinstance(compiled, SQLCompiler)  # a SELECT compiles to SQL
    params = {**compiled.params, **(values or {})}
    driver: Any = conn.connection.driver_connection  # sqlite3's or psycopg's own connection
    if (positions := compiled.positiontup) is not None:  # SQLite's ?
        return driver.execute(str(compiled), [params[name] for name in positions])
    cursor = driver.cursor(name=f"matrix_{next(_CURSORS)}")
    cursor.itersize = STREAM["yield_per"]
    cursor.execute(str(compiled), params)
    return cursor


def latest_before(
    conn: Connection,
    plan: Plan,
    earlier: list[str],
    *,
    countries: Collection[str] | None = None,
    with_actual: bool = False,
) -> Iterator[ProgressRecord]:
    """`latest_with_period` without the periods."""
    found = latest_with_period(conn, plan, earlier, countries=countries, with_actual=with_actual)
    return (record for _, record in found)


def latest_with_period(
    conn: Connection,
    plan: Plan,
    earlier: list[str],
    *,
    countries: Collection[str] | None = None,
    with_actual: bool = False,
) -> Iterator[tuple[str, ProgressRecord]]:
    """Each (country, ref)'s row that counts in the latest of the `earlier` periods (oldest first)
    that has one (with an actual, if asked), with the period it was reported for, found in SQL so
    a store with years of returns does not pass through Python row by row."""
    if not earlier:
        return iter(())
    where = [s_.period.in_(earlier)]
    if countries is not None:
        where.append(p_.country.in_(list(countries)))
    renamed = renamed_refs(conn, plan)
    candidates = _candidates(plan, *RECORD, s_.period, renamed=renamed, where=where).subquery(
        "candidates"
    )
    counting = select(candidates).where(candidates.c.n == 1)
    if with_actual:
        counting = counting.where(candidates.c.actual.is_not(None))
    counted = counting.subquery("counted")
    rank = case({period: rank for rank, period in enumerate(earlier)}, value=counted.c.period)
    latest = func.row_number().over(
        partition_by=(counted.c.country, counted.c.ref), order_by=rank.desc()
    )
    ranked = select(counted, latest.label("latest")).subquery("latest")
    chosen = select(ranked.c.period, *(ranked.c[name] for name in ProgressRecord._fields)).where(
        ranked.c.latest == 1
    )
    return ((r[0], ProgressRecord._make(r[1:])) for r in conn.execute(chosen))


_REPORTED = (
    s_.period,
    p_.country,
    p_.ref,
    p_.sheet,
    s_.id.label("submission_id"),
    s_.office,
    s_.file_name,
    s_.received_at,
    *(p_[name] for name in COMPARED),
)


def overlaps(
    conn: Connection,
    plan: Plan,
    *,
    submission_ids: Collection[int] | None = None,
    period: str | None = None,
    country: str | None = None,
) -> list[Overlap]:
    """Every row two returns that count both reported with different figures (`COMPARED`): the
    row that counts and each other one, optionally only where one side is of `submission_ids`.
    The row that counts is read beside each other one with `first_value` over the same window
    (one pass, where joining the candidates to themselves would compare every pair)."""
    where = []
    if period is not None:
        where.append(s_.period == period)
    if country is not None:
        where.append(p_.country == country)
    contested = list(conn.execute(contested_periods(plan)).scalars())
    if not contested:
        return []  # no regional workbook counts: no two returns report the same row
    where.append(s_.period.in_(contested))
    if submission_ids is not None:
        ids = list(submission_ids)
        where.append(s_.period.in_(select(s_.period).where(s_.id.in_(ids))))
    renamed = renamed_refs(conn, plan)
    partition = (s_.period, p_.country, _current_ref(renamed))
    counted = [
        func.first_value(partition[-1] if c is p_.ref else c)
        .over(partition_by=partition, order_by=PRECEDENCE)
        .label(f"counted_{c.key}")
        for c in _REPORTED
    ]
    ranked = _candidates(plan, *_REPORTED, *counted, renamed=renamed, where=where).subquery(
        "candidates"
    )
    c = ranked.c
    both = [*(c[f"counted_{col.key}"] for col in _REPORTED), *(c[col.key] for col in _REPORTED)]
    query = select(*both).where(
        c.n > 1,
        c.blank == 0,
        or_(*(c[f"counted_{name}"].is_distinct_from(c[name]) for name in COMPARED)),
    )
    if submission_ids is not None:
        query = query.where(or_(c.counted_submission_id.in_(ids), c.submission_id.in_(ids)))
    query = query.order_by(c.period, c.country, c.ref, c.n)
    width = len(_REPORTED)
    return [Overlap(_reported(row[:width]), _reported(row[width:])) for row in conn.execute(query)]


def _reported(values: Sequence[Any]) -> Reported:
    fields = dict(zip((c.key for c in _REPORTED), values, strict=False))
    return Reported(**{**fields, "received_at": datetime.fromisoformat(fields["received_at"])})


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
            _of_plan(plan.id),
            submissions.c.outcome == "accepted",
            submissions.c.period.is_not(None),
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
