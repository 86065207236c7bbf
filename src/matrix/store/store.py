"""The store: every submission ever collected, its outcome and problems, and the progress rows of
accepted returns, in one SQLite file in the project folder.

Each file is recorded in one `BEGIN IMMEDIATE` transaction, so a killed process leaves a submission
with all its rows or none, and two collecting processes queue for the write lock instead of racing.
WAL mode lets `status` and `export` read while a `collect` writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Self

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.excel.layout import split_ref
from matrix.models.issues import Issue
from matrix.models.plan import Indicator, Plan, Status
from matrix.models.returns import ProgressRow, ValidationResult
from matrix.periods import Period, calendar_period, frequency_name
from matrix.store.schema import check_store_file, migrate, write_transaction

DEFAULT_STORE = "matrix.sqlite"
STORE_ENV = "MATRIX_STORE"
BUSY_TIMEOUT_SECONDS = 120
"""How long a writer waits for another one to finish a file before giving up."""

def default_store_path() -> Path:
    """`$MATRIX_STORE`, else matrix.sqlite in the current (project) folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


_ADVICE = {
    sqlite3.SQLITE_CORRUPT: "error.store_damaged",
    sqlite3.SQLITE_NOTADB: "error.store_damaged",
    sqlite3.SQLITE_FULL: "error.store_full",
    sqlite3.SQLITE_IOERR: "error.store_io",
    sqlite3.SQLITE_BUSY: "error.store_busy",
    sqlite3.SQLITE_READONLY: "error.store_read_only",
    sqlite3.SQLITE_CANTOPEN: "error.store_cannot_open",
}
"""What to do (catalogue key), by SQLite's primary result code."""


class StoreError(MatrixError):
    """SQLite cannot use the store (damaged, disk full, busy, unreadable): said on one line."""

    @classmethod
    def of(cls, path: Path, exc: sqlite3.Error) -> StoreError:
        primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # extended codes keep it in the low byte
        return cls(_ADVICE.get(primary, "error.store_unusable"), path=path, reason=str(exc),
                   seconds=BUSY_TIMEOUT_SECONDS)


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded-previous"
    """Accepted, and replaced an earlier accepted return for the same office and period."""
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    """Not recorded: not a return at all (a feedback copy matrix wrote)."""


@dataclass(frozen=True)
class Recorded:
    outcome: Outcome
    submission_id: int
    """The new submission, or for a duplicate the one recorded before."""
    superseded_id: int | None = None


@dataclass(frozen=True)
class Submission:
    id: int
    file_name: str
    sha256: str | None
    received_at: datetime
    office: str | None
    period: str | None
    accepted: bool
    superseded_by: int | None
    errors: int
    warnings: int
    problems: list[Issue]
    row_count: int
    countries: frozenset[str]
    """Countries (and region code) the submission has progress rows for."""

    @property
    def current(self) -> bool:
        return self.accepted and self.superseded_by is None


@dataclass(frozen=True)
class StoredRow:
    """A progress row as the store keeps it, with the submission it came from."""

    period: str
    row: ProgressRow
    submission_id: int
    received_at: datetime
    file_name: str


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._plan_refs: dict[int, tuple[Plan, int]] = {}
        """id(plan) -> (plan, row id): a batch records every file against the same plan object."""

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True) -> Store:
        """Open (and upgrade) the store; `create=False` for commands that only read."""
        path = Path(path) if path is not None else default_store_path()
        if path.is_dir():
            raise MatrixError("error.store_is_folder", path=path)
        if not path.exists():
            if not create:
                raise MatrixError("error.no_store", path=path)
            if not path.parent.exists():
                raise MatrixError("error.store_folder_missing", path=path, folder=path.parent)
        else:
            check_store_file(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            _use_wal(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, str(path))
        except sqlite3.Error as exc:
            raise StoreError.of(path, exc) from None
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        """Closes the store; a SQLite failure inside the block leaves it as one line (StoreError)."""
        self.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise StoreError.of(self.path, exc) from None

    # --- writing -------------------------------------------------------------------------------

    def record(self, result: ValidationResult, plan: Plan, received_at: datetime | None = None) -> Recorded:
        """Record one validated file in one transaction: duplicate, rejected, accepted or superseding.
        Raises StoreError when SQLite cannot (disk full, damaged store), having recorded nothing."""
        try:
            return self._record(result, plan, received_at)
        except sqlite3.DatabaseError as exc:
            raise StoreError.of(self.path, exc) from None

    def _record(self, result: ValidationResult, plan: Plan, received_at: datetime | None) -> Recorded:
        received = (received_at or datetime.now(UTC)).isoformat(timespec="seconds")
        accepted = result.accepted
        with write_transaction(self.conn):
            if result.sha256:
                seen = self.conn.execute(
                    "SELECT id, outcome FROM submissions WHERE sha256 = ? ORDER BY outcome = 'accepted' DESC, id",
                    (result.sha256,),
                ).fetchone()
                # A file accepted before, or rejected before and rejected again, changes nothing;
                # a file rejected before that passes now (plan fixed, other --period) is recorded.
                if seen and (seen[1] == "accepted" or not accepted):
                    return Recorded(Outcome.DUPLICATE, seen[0])
            plan_ref = self._plan_ref(plan)
            submission_id = self._insert_submission(result, plan_ref, received, accepted)
            if not accepted:
                return Recorded(Outcome.REJECTED, submission_id)
            self._insert_rows(submission_id, result)
            identity = result.identity
            assert identity is not None  # accepted implies an identity
            previous = self.conn.execute(
                """SELECT s.id FROM submissions s JOIN plans p ON p.id = s.plan_ref
                   WHERE p.plan_id = ? AND s.office = ? AND s.period = ? AND s.outcome = 'accepted'
                     AND s.superseded_by IS NULL AND s.id != ?""",
                (plan.id, identity.office, identity.period, submission_id),
            ).fetchall()
            for (old_id,) in previous:
                self.conn.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?", (submission_id, old_id))
        if previous:
            return Recorded(Outcome.SUPERSEDED, submission_id, previous[-1][0])
        return Recorded(Outcome.ACCEPTED, submission_id)

    def _plan_ref(self, plan: Plan) -> int:
        """The plan's row, snapshot stored the first time; hashing and dumping a large plan costs
        more than recording a return, so it is done once per plan object."""
        cached = self._plan_refs.get(id(plan))
        if cached is not None and cached[0] is plan:
            return cached[1]
        digest = plan.content_hash()
        if found := self.conn.execute("SELECT id FROM plans WHERE hash = ?", (digest,)).fetchone():
            self._plan_refs = {id(plan): (plan, found[0])}  # committed before: safe to remember
            return found[0]
        self.conn.execute(
            "INSERT INTO plans (plan_id, hash, title, snapshot, first_seen) VALUES (?, ?, ?, ?, ?)",
            (plan.id, digest, plan.title, plan.model_dump_json(), datetime.now(UTC).isoformat(timespec="seconds")),
        )
        return self.conn.execute("SELECT id FROM plans WHERE hash = ?", (digest,)).fetchone()[0]

    def _insert_submission(self, result: ValidationResult, plan_ref: int, received: str, accepted: bool) -> int:
        identity = result.identity
        errors = sum(issue.is_error for issue in result.issues)
        problems = json.dumps([issue.model_dump(mode="json", fallback=str) for issue in result.issues])
        cursor = self.conn.execute(
            """INSERT INTO submissions (plan_ref, sha256, file_name, size, received_at, plan_hash, office,
                   regional, period, lang, generated_at, outcome, errors, warnings, problems, row_count,
                   proposed_count)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                plan_ref, result.sha256, Path(result.file).name, result.size, received,
                identity and identity.plan_hash, identity and identity.office,
                identity and int(identity.regional), identity and identity.period, identity and identity.lang,
                identity and identity.generated_at.isoformat(),
                "accepted" if accepted else "rejected", errors, len(result.issues) - errors, problems,
                len(result.rows) if accepted else 0, len(result.proposed) if accepted else 0,
            ),
        )
        return cursor.lastrowid

    def _insert_rows(self, submission_id: int, result: ValidationResult) -> None:
        self.conn.executemany(
            """INSERT INTO progress (submission_id, country, activity_id, indicator_index, ref, sheet, row,
                   status, actual, funds_secured, comments, next_steps, support_needed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (submission_id, r.country, r.activity_id, r.indicator_index, r.ref, r.sheet, r.row,
                 r.status and r.status.value, r.actual, r.funds_secured, r.comments, r.next_steps,
                 r.support_needed)
                for r in result.rows
            ],
        )
        self.conn.executemany(
            """INSERT INTO proposed_activities (submission_id, sheet, row, action_point, title, lead, partners,
                   indicator, unit, target, start, "end", status, actual, comments)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (submission_id, p.sheet, p.row, p.action_point, p.title, p.lead, p.partners, p.indicator,
                 p.unit, p.target, p.start and p.start.isoformat(), p.end and p.end.isoformat(),
                 p.status and p.status.value, p.actual, p.comments)
                for p in result.proposed
            ],
        )

    # --- reading -------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that see one state of the store, even while a `collect` records files
        (WAL): a report reads period after period and must not mix two states."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:  # SQLite ends it itself on some failures
                self.conn.execute("COMMIT")

    def submissions(self, plan: Plan, period: str | None = None) -> list[Submission]:
        """Every submission for this plan (optionally one period), oldest first."""
        sql = f"""WITH {_COUNTRIES}
                 SELECT s.id, s.file_name, s.sha256, s.received_at, s.office, s.period, s.outcome,
                        s.superseded_by, s.errors, s.warnings, s.problems, s.row_count, c.list
                 FROM submissions s JOIN plans p ON p.id = s.plan_ref LEFT JOIN countries c ON c.id = s.id
                 WHERE p.plan_id = ?""" + (" AND s.period = ?" if period else "") + " ORDER BY s.id"
        rows = self.conn.execute(sql, (plan.id, period) if period else (plan.id,)).fetchall()
        return [
            Submission(
                id=r[0], file_name=r[1], sha256=r[2], received_at=datetime.fromisoformat(r[3]), office=r[4],
                period=r[5], accepted=r[6] == "accepted", superseded_by=r[7], errors=r[8], warnings=r[9],
                problems=[Issue.model_validate(i) for i in json.loads(r[10])], row_count=r[11],
                countries=frozenset(r[12].split(",")) if r[12] else frozenset(),
            )
            for r in rows
        ]

    def current_rows(self, plan: Plan, period: str | None = None, country: str | None = None) -> list[StoredRow]:
        """The progress that counts: rows of accepted returns not superseded, one per (period, country,
        ref); when a national and a regional return both report a row, the later one wins."""
        sql = f"SELECT {_ROW_COLUMNS} {_FROM} WHERE {_CURRENT}"
        params: list[object] = [plan.id]
        if period:
            sql += " AND s.period = ?"
            params.append(period)
        if country:
            sql += " AND pr.country = ?"
            params.append(country)
        usable = set(self.periods(plan))
        latest: dict[tuple[str, str, str], StoredRow] = {}
        for r in self.conn.execute(sql + " ORDER BY s.id", params):
            if r[0] not in usable:
                continue  # see `left_out`
            stored = _stored_row(r)
            latest[(stored.period, stored.row.country, stored.row.ref)] = stored
        return list(latest.values())

    def progress(self, plan: Plan, period: str, country: str | None = None) -> Iterator[tuple]:
        """The current rows of one period (of one country or region code), as plain tuples (country,
        ref, status, actual, funds_secured, comments, next_steps, support_needed), oldest return
        first, so that a later row for the same (country, ref) replaces an earlier one. A cursor: a
        global plan's period is hundreds of thousands of rows, and the report reads each once."""
        sql = f"""SELECT pr.country, pr.ref, pr.status, pr.actual, pr.funds_secured, pr.comments, pr.next_steps,
                         pr.support_needed {_FROM} WHERE {_CURRENT} AND s.period = ?"""
        params = [plan.id, period]
        if country is not None:
            sql += " AND pr.country = ?"
            params.append(country)
        return self.conn.execute(sql + " ORDER BY s.id", params)

    def latest_progress(self, plan: Plan, before_period: str) -> dict[tuple[str, str], ProgressRow]:
        """Each (country or region, ref)'s latest accepted row from periods before `before_period`:
        what `generate --prefill` writes into a new period's matrices."""
        return {
            (stored.row.country, stored.row.ref): stored.row
            for stored in map(_stored_row, self._latest_before(plan, before_period, _ROW_COLUMNS))
        }

    def previous_actuals(
        self, plan: Plan, offices: Collection[str] | None, period: str
    ) -> dict[tuple[str, str], float]:
        """Last accepted actual of every cumulative indicator from periods before `period`, for the
        rows these offices report (all when None; a regional office reports for every country):
        validation's `previous`, to catch a total to date that went down."""
        if offices is not None and any(office not in plan.countries for office in offices):
            offices = None
        indicators = _indicators(plan)
        previous = {}
        for country, ref, actual in self._latest_before(
            plan, period, "pr.country, pr.ref, pr.actual", countries=offices, with_actual=True
        ):
            indicator = indicators.get(split_ref(ref))
            if indicator is not None and indicator.cumulative:
                previous[(country, ref)] = actual
        return previous

    def _latest_before(
        self, plan: Plan, period: str, columns: str, *, countries: Collection[str] | None = None,
        with_actual: bool = False,
    ) -> list[tuple]:
        """`columns` of the latest current row per (country, ref) from periods before `period`, found
        in SQL so a store with years of returns does not pass through Python row by row."""
        cutoff = Period.parse(period)  # a PeriodError is a MatrixError
        earlier = [p for p in self.periods(plan) if _before(p, cutoff)]
        if not earlier:
            return []
        ranks = ", ".join("(?, ?)" for _ in earlier)
        sql = f"""SELECT {columns}, ROW_NUMBER() OVER (
                      PARTITION BY pr.country, pr.ref ORDER BY r.rank DESC, s.id DESC) AS latest
                  {_FROM}
                  JOIN (SELECT column1 AS period, column2 AS rank FROM (VALUES {ranks})) r ON r.period = s.period
                  WHERE {_CURRENT}"""
        params: list[object] = [*(v for rank, p in enumerate(earlier) for v in (p, rank)), plan.id]
        if with_actual:
            sql += " AND pr.actual IS NOT NULL"
        if countries is not None:
            sql += f" AND pr.country IN ({', '.join('?' for _ in countries)})"
            params += list(countries)
        return [row[:-1] for row in self.conn.execute(f"SELECT * FROM ({sql}) WHERE latest = 1", params)]

    def proposed(self, plan: Plan, period: str) -> list[tuple[str, dict[str, object]]]:
        """New activities offices proposed in their current returns for `period`: (office, fields)."""
        cursor = self.conn.execute(
            """SELECT s.office, pa.* FROM proposed_activities pa
               JOIN submissions s ON s.id = pa.submission_id JOIN plans p ON p.id = s.plan_ref
               WHERE p.plan_id = ? AND s.period = ? AND s.outcome = 'accepted' AND s.superseded_by IS NULL
               ORDER BY s.office, pa.sheet, pa.row""",
            (plan.id, period),
        )
        names = [d[0] for d in cursor.description]
        return [(r[0], dict(zip(names[2:], r[2:], strict=True))) for r in cursor]

    def periods(self, plan: Plan) -> list[str]:
        """Periods with at least one accepted return, in order; only periods of the plan's calendar
        (see `left_out`)."""
        found = {period: calendar_period(plan.reporting, period) for period in self._accepted_periods(plan)}
        return sorted((text for text, period in found.items() if period), key=found.__getitem__)

    def left_out(self, plan: Plan) -> list[Issue]:
        """A warning for each period of accepted returns that is not a period of the plan's calendar
        ('2026-Q9', a month in a quarterly plan): recorded by a matrix that did not check the hidden
        period, and left out of every reading so that one such return cannot stop them all."""
        return [
            Code.STORE_PERIOD_UNUSABLE.issue(
                file=str(self.path), count=count, offices=offices, period=period, plan=plan.id,
                frequency=frequency_name(plan.reporting.frequency), value=period,
            )
            for period, (count, offices) in self._accepted_periods(plan).items()
            if calendar_period(plan.reporting, period) is None
        ]

    def _accepted_periods(self, plan: Plan) -> dict[str, tuple[int, list[str]]]:
        """Period -> (accepted returns, their offices) for every period stored for this plan."""
        rows = self.conn.execute(
            """SELECT s.period, count(*), group_concat(DISTINCT s.office) FROM submissions s
               JOIN plans p ON p.id = s.plan_ref
               WHERE p.plan_id = ? AND s.outcome = 'accepted' GROUP BY s.period""",
            (plan.id,),
        )
        return {r[0]: (r[1], sorted(str(r[2]).split(","))) for r in rows if r[0] is not None}


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new store to WAL. The switch does not wait on the busy handler when another process
    is creating the same store at that moment, so wait for it here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


_ROW_COLUMNS = """s.period, s.id, s.received_at, s.file_name, pr.country, pr.activity_id, pr.indicator_index,
    pr.ref, pr.sheet, pr.row, pr.status, pr.actual, pr.funds_secured, pr.comments, pr.next_steps,
    pr.support_needed"""
_FROM = "FROM progress pr JOIN submissions s ON s.id = pr.submission_id JOIN plans p ON p.id = s.plan_ref"
_COUNTRIES = """RECURSIVE found(id, country) AS (
        SELECT id, (SELECT min(country) FROM progress WHERE submission_id = submissions.id) FROM submissions
        UNION ALL
        SELECT id, (SELECT min(country) FROM progress WHERE submission_id = found.id AND country > found.country)
        FROM found WHERE country IS NOT NULL),
    countries(id, list) AS (SELECT id, group_concat(country) FROM found WHERE country IS NOT NULL GROUP BY id)"""
"""`countries`: each submission's countries, found by seeking from one to the next in the progress
key (a few index look-ups per file) rather than reading every row of every file."""
_CURRENT = "p.plan_id = ? AND s.outcome = 'accepted' AND s.superseded_by IS NULL"
"""The progress that counts: from accepted returns of this plan that no later return superseded."""


def _stored_row(r: tuple) -> StoredRow:
    row = ProgressRow(
        country=r[4], activity_id=r[5], indicator_index=r[6], ref=r[7], sheet=r[8], row=r[9],
        status=Status(r[10]) if r[10] else None, actual=r[11], funds_secured=r[12], comments=r[13],
        next_steps=r[14], support_needed=r[15],
    )
    return StoredRow(period=r[0], row=row, submission_id=r[1], received_at=datetime.fromisoformat(r[2]),
                     file_name=r[3])


def _before(period: str, cutoff: Period) -> bool:
    try:
        return Period.parse(period) < cutoff
    except ValueError:
        return False


def _indicators(plan: Plan) -> dict[tuple[str, int], Indicator]:
    return {(a.id, i): ind for _, a in plan.activities() for i, ind in enumerate(a.indicators)}

