"""The store: every submission ever collected, its outcome and problems, and the progress rows of
accepted returns, in one SQLite file in the project folder or one PostgreSQL database shared by a
team. `Store` opens it (`connection`, `schema`), records files (`recording`) and answers the
questions commands ask (`queries`), the plan's calendar applied here."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Self

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.i18n import Phrase, phrase
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import Earlier, History, Narratives, ProgressRecord, ValidationResult
from matrix.periods import Period, calendar_period
from matrix.plan import plan_index, split_ref
from matrix.store import narratives as narrative_table
from matrix.store import queries, recording
from matrix.store import summaries as summary_table
from matrix.store import versions as version_table
from matrix.store.connection import DATABASE_ERRORS, StoreError, engine_for, snapshot, write
from matrix.store.location import StoreLocation
from matrix.store.narratives import StoredNarratives
from matrix.store.queries import COMPARED
from matrix.store.rows import Overlap, Recorded, Reported, StoredRow, Submission
from matrix.store.schema import check_store_file, migrate, needs_migration, stored_version
from matrix.store.summaries import StoredSummary
from matrix.versions import IssuedMatrix, PlanVersion


class NoStore(MatrixError):
    """Opening a store that does not exist yet, to read it: commands that can do without one
    (validation, which also looks for plan versions there) carry on."""


class Store:
    def __init__(self, engine: Engine, conn: Connection, location: StoreLocation):
        self.engine = engine
        self.conn = conn
        self.location = location
        self._plan_refs: dict[str, int] = {}
        """Plan version (content hash) -> its row id, once it is committed: a batch records every
        file against the same plan."""

    @property
    def path(self) -> Path | None:
        """The SQLite file (which no output may overwrite); None for a PostgreSQL store."""
        return self.location.path

    @classmethod
    def open(cls, where: str | Path | StoreLocation | None = None, *, create: bool = True) -> Store:
        """Open (and upgrade) the store; `create=False` for commands that only read."""
        location = where if isinstance(where, StoreLocation) else StoreLocation.parse(where)
        path = location.path
        if path is not None:
            if path.is_dir():
                raise MatrixError("error.store_is_folder", path=path)
            if not path.exists():
                if not create:
                    raise NoStore("error.no_store", path=path)
                if not path.parent.exists():
                    raise MatrixError("error.store_folder_missing", path=path, folder=path.parent)
            else:
                check_store_file(path)
        engine = engine_for(location)
        try:
            conn = engine.connect()
        except DATABASE_ERRORS as exc:
            raise StoreError.of(location, exc) from None
        try:
            _prepare(conn, location, create)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, DATABASE_ERRORS):
                raise StoreError.of(location, exc) from None
            raise
        return cls(engine, conn, location)

    @property
    def version(self) -> int:
        """The store's schema version."""
        with self.reading():
            return stored_version(self.conn, self.location)[0]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        """Closes the store; a database failure inside the block leaves it as one line
        (StoreError)."""
        try:
            self.close()
        except DATABASE_ERRORS:
            pass  # the connection is already gone: what failed inside the block says why
        if isinstance(exc, DATABASE_ERRORS):
            raise StoreError.of(self.location, exc) from None

    # --- writing -------------------------------------------------------------------------------

    def record(
        self, result: ValidationResult, plan: Plan, received_at: datetime | None = None
    ) -> Recorded:
        """Record one validated file in one transaction: duplicate, rejected, accepted or
        superseding. Raises StoreError when the database cannot (disk full, server gone), having
        recorded nothing."""
        version = plan_index(plan).content_hash
        known = self._plan_refs.get(version)
        recorded, plan_ref = write(
            self.conn,
            self.location,
            lambda conn: recording.record(conn, result, plan, known, received_at),
        )
        if plan_ref is not None:
            self._plan_refs[version] = plan_ref  # committed: safe to remember
        return recorded

    def keep_version(self, version: PlanVersion, issued: list[IssuedMatrix]) -> None:
        """Keep a plan version matrices are generated from, and the matrices written from it."""

        def work(conn: Connection) -> None:
            version_table.keep(conn, version)
            version_table.record_issued(conn, issued)

        write(self.conn, self.location, work)

    def keep_summaries(self, plan: Plan, found: list[StoredSummary]) -> bool:
        """Keep offices' figures as of periods (`matrix.report.summaries`), replacing those of the
        same offices and periods; the plan's other versions' are dropped. False, keeping nothing,
        when this login may not (a role granted before they existed)."""
        index = plan_index(plan)

        def keep(conn: Connection) -> bool:
            if not summary_table.allowed(conn, "SELECT", "INSERT", "DELETE"):
                return False
            summary_table.keep(conn, plan.id, index.content_hash, found)
            return True

        return write(self.conn, self.location, keep)

    # --- reading -------------------------------------------------------------------------------

    def summaries(
        self,
        plan: Plan,
        offices: list[str] | None = None,
        *,
        rows_of: Collection[str] | None = None,
    ) -> list[StoredSummary]:
        """The offices' figures as of periods kept for this plan version (only these `offices`'
        when given), stale ones included; each row's only for the periods `rows_of`, if given."""
        with self.reading():
            return summary_table.read(self.conn, plan_index(plan).content_hash, offices, rows_of)

    def summary_inputs(self, plan: Plan) -> dict[tuple[str, str], str]:
        """(office, period) -> the inputs digest of each summary kept for this plan version."""
        with self.reading():
            return summary_table.kept_inputs(self.conn, plan_index(plan).content_hash)

    def plan_versions(self, plan_id: str) -> list[PlanVersion]:
        """The plan's kept versions, in the order first kept."""
        with self.reading():
            return version_table.versions(self.conn, plan_id)

    def issued(self, plan_id: str, period: str | None = None) -> list[IssuedMatrix]:
        """The matrices generated from the plan (for `period`), in the order written."""
        with self.reading():
            return version_table.issued(self.conn, plan_id, period)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that see one state of the store, even while a `collect` records files."""
        with snapshot(self.conn, self.location):
            yield

    def submissions(self, plan: Plan, period: str | None = None) -> list[Submission]:
        """Every submission for this plan (optionally one period), oldest first."""
        with self.reading():
            return queries.submissions_of(self.conn, plan, period)

    def current_rows(
        self, plan: Plan, period: str | None = None, country: str | None = None
    ) -> list[StoredRow]:
        """The progress that counts: one row per (period, country, ref), chosen by the one rule
        of `queries` (a country's own return, else a regional workbook's sheet for it; the latest
        received return of an office), with the file it came from."""
        with self.reading():
            usable = set(self.periods(plan))
            return [
                stored
                for stored in queries.current_rows(self.conn, plan, period, country)
                if stored.period in usable  # see `left_out`
            ]

    def overlaps(
        self,
        plan: Plan,
        *,
        submission_ids: Collection[int] | None = None,
        period: str | None = None,
        country: str | None = None,
    ) -> list[Overlap]:
        """Rows two returns that count report differently, with the value that counts."""
        with self.reading():
            usable = set(self.periods(plan))
            found = queries.overlaps(
                self.conn, plan, submission_ids=submission_ids, period=period, country=country
            )
            return [o for o in found if o.counted.period in usable]

    def progress(
        self, plan: Plan, period: str, country: str | None = None, *, brief: bool = False
    ) -> Iterator[ProgressRecord]:
        """The rows that count in one period (of one country or region code), one per (country,
        ref), by the rule of `current_rows`; `brief`: without the next steps. Read as they are
        used: a global plan's period is hundreds of thousands of rows, and the report reads each
        once (inside `reading`; outside, at once)."""
        found = partial(queries.progress_records, self.conn, plan, period, country, brief=brief)
        if self.conn.in_transaction():
            return found()
        with self.reading():
            return iter(list(found()))

    def progress_of(
        self, plan: Plan, period: str, keys: list[tuple[str, str]]
    ) -> Iterator[ProgressRecord]:
        """The rows that count in one period for these (country or region code, ref) pairs,
        without reading the others (`progress` otherwise): inside `reading`."""
        return queries.progress_of(self.conn, plan, period, keys)

    def latest_progress(
        self, plan: Plan, before_period: str
    ) -> dict[tuple[str, str], ProgressRecord]:
        """Each (country or region, ref)'s latest accepted row from periods before `before_period`:
        what `generate --prefill` writes into a new period's matrices."""
        with self.reading():
            return {
                (r.country, r.ref): r
                for r in queries.latest_before(self.conn, plan, self._earlier(plan, before_period))
            }

    def previous_actuals(
        self, plan: Plan, offices: Collection[str] | None, period: str
    ) -> dict[tuple[str, str], float]:
        """Last accepted actual of every cumulative indicator from periods before `period`, for the
        rows these offices report (all when None; a regional office reports for every country):
        validation's `previous`, to catch a total to date that went down."""
        if offices is not None and any(office not in plan.countries for office in offices):
            offices = None
        indicators = plan_index(plan).indicators
        previous = {}
        with self.reading():
            earlier = self._earlier(plan, period)
            for r in queries.latest_before(
                self.conn, plan, earlier, countries=offices, with_actual=True
            ):
                indicator = indicators.get(split_ref(r.ref))
                if indicator is not None and indicator.is_total_to_date and r.actual is not None:
                    previous[(r.country, r.ref)] = r.actual
        return previous

    def earlier(self, plan: Plan, offices: Collection[str] | None, period: str) -> History:
        """What was accepted before `period` for the rows these offices report (all when None; a
        regional office reports for every country): each row's last accepted report, its period,
        and for cumulative indicators the last accepted total. Validation's previous-period checks
        compare a return with it."""
        if offices is not None and any(office not in plan.countries for office in offices):
            offices = None
        indicators = plan_index(plan).indicators
        with self.reading():
            periods = self._earlier(plan, period)
            if not periods:
                return {}
            totals = {
                (r.country, r.ref): r.actual
                for r in queries.latest_before(
                    self.conn, plan, periods, countries=offices, with_actual=True
                )
                if (indicator := indicators.get(split_ref(r.ref))) is not None
                and indicator.is_total_to_date
            }
            found = queries.latest_with_period(self.conn, plan, periods, countries=offices)
            return {
                (r.country, r.ref): Earlier(stored, r, totals.get((r.country, r.ref)))
                for stored, r in found
            }

    def _earlier(self, plan: Plan, period: str) -> list[str]:
        cutoff = Period.parse(period)  # a PeriodError (one line) for one that is not
        return [p for p in self.periods(plan) if _before(p, cutoff)]

    def proposed(self, plan: Plan, period: str) -> list[tuple[str, dict[str, object]]]:
        """New activities offices proposed in their current returns for `period`: (office,
        fields)."""
        with self.reading():
            return queries.proposed(self.conn, plan, period)

    def narratives(
        self, plan: Plan, periods: Collection[str] | None = None, office: str | None = None
    ) -> list[StoredNarratives]:
        """Overviews, initiatives and good practices of the current returns in `periods` (every
        usable period when None), oldest return first."""
        with self.reading():
            usable = self.periods(plan)
            wanted = usable if periods is None else [p for p in periods if p in usable]
            return narrative_table.current(self.conn, plan, wanted, office)

    def latest_narratives(self, plan: Plan, before_period: str) -> dict[str, Narratives]:
        """Each office's narratives in its latest current return before `before_period`: the
        overview and initiatives `generate --prefill` starts a new period's matrices from."""
        latest: dict[str, tuple[Period, Narratives]] = {}
        with self.reading():
            earlier = self._earlier(plan, before_period)
            for stored in narrative_table.current(self.conn, plan, earlier):
                period = Period.parse(stored.period)
                if stored.office not in latest or latest[stored.office][0] <= period:
                    latest[stored.office] = (period, stored.narratives)
        return {office: found for office, (_, found) in latest.items()}

    def periods(self, plan: Plan) -> list[str]:
        """Periods with at least one accepted return, in order; only periods of the plan's calendar
        (see `left_out`)."""
        found = {
            text: period
            for text in self._accepted_periods(plan)
            if (period := calendar_period(plan.reporting, text)) is not None
        }
        return sorted(found, key=found.__getitem__)

    def left_out(self, plan: Plan) -> list[Issue]:
        """A warning for each period of accepted returns that is not a period of the plan's calendar
        ('2026-Q9', a month in a quarterly plan): recorded by a matrix that did not check the hidden
        period, and left out of every reading so that one such return cannot stop them all."""
        return [
            Code.STORE_PERIOD_UNUSABLE.issue(
                file=str(self.location),
                count=count,
                offices=offices,
                period=period,
                plan=plan.id,
                frequency=plan.reporting.frequency.value.replace("_", "-"),
                value=period,
            )
            for period, (count, offices) in self._accepted_periods(plan).items()
            if calendar_period(plan.reporting, period) is None
        ]

    def _accepted_periods(self, plan: Plan) -> dict[str, tuple[int, str]]:
        with self.reading():
            return queries.accepted_periods(self.conn, plan)


def _prepare(conn: Connection, location: StoreLocation, create: bool) -> None:
    """Check the database is a matrix store (or empty), then bring its schema up to date: read
    first, so that a role that may only read opens a current store, and a store another command is
    creating at this moment is waited for."""
    with conn.begin():
        pending = needs_migration(conn, location)
        empty = pending and not _has_tables(conn)
    if empty and not create:
        raise NoStore("error.no_store_init", location=location)
    if pending:
        write(conn, location, lambda c: migrate(c, location))


def _has_tables(conn: Connection) -> bool:
    return bool(inspect(conn).get_table_names())


def _before(period: str, cutoff: Period) -> bool:
    try:
        return Period.parse(period) < cutoff
    except ValueError:
        return False


def overlap_issue(overlap: Overlap) -> Issue:
    """'KAZ A1-1 (2026-Q1): the regional workbook EHAGL_….xlsx says actual 2, KAZ's own return
    KAZ_….xlsx says actual 1; KAZ's own return counts', for the file whose value does not count."""
    counted, other = overlap.counted, overlap.other
    differing = [name for name in COMPARED if getattr(counted, name) != getattr(other, name)]
    return Code.VALUE_OVERLAP.issue(
        file=other.file_name,
        sheet=other.sheet,
        value=other.actual,
        country=counted.country,
        ref=counted.ref,
        period=counted.period,
        other=_source(other),
        theirs=_figures(other, differing),
        counted=_source(counted),
        ours=_figures(counted, differing),
        counts=_whose(counted),
    )


def _whose(reported: Reported) -> Phrase:
    if reported.office == reported.country:
        return phrase("overlap.own", country=reported.country)
    return phrase("overlap.regional", office=reported.office)


def _source(reported: Reported) -> Phrase:
    return phrase("overlap.source", whose=_whose(reported), file=reported.file_name)


def _figures(reported: Reported, names: list[str]) -> list[Phrase]:
    """'status on track, actual 2' for the differing figures, a blank one said so."""
    parts = []
    for name in names:
        value = getattr(reported, name)
        if value is None or value == "":
            shown: object = phrase("overlap.blank")
        elif name == "status":
            shown = phrase(f"status.{value}")
        else:
            shown = value
        parts.append(phrase(f"overlap.{name}", value=shown))
    return parts
