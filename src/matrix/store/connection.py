"""Connecting to a store, its transactions, and its failures as one line.

SQLite: WAL, foreign keys on, a writer takes the write lock first (`BEGIN IMMEDIATE`, waiting up to
the busy timeout) so two collects queue instead of failing half way. PostgreSQL (psycopg 3): a
writer takes a transaction-scoped advisory lock, the same queue without any table privilege beyond
the rows it writes; a serialization failure or deadlock is retried here, a bounded number of
times, never left for the user to retry. Readers see one snapshot (`REPEATABLE READ, READ ONLY`),
whatever the writers do meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from matrix.errors import MatrixError
from matrix.store.location import StoreLocation

BUSY_TIMEOUT_SECONDS = 120
"""How long a writer waits for another one to finish a file before giving up."""
CONNECT_TIMEOUT_SECONDS = 10
WRITE_LOCK = 0x4D545258
"""'MTRX': the advisory lock every PostgreSQL writer holds while it records a file."""
RETRIES = 5
"""Attempts at a transaction PostgreSQL aborted to keep transactions serializable."""
T = TypeVar("T")

_SQLITE_ADVICE = {
    sqlite3.SQLITE_CORRUPT: "error.store_damaged",
    sqlite3.SQLITE_NOTADB: "error.store_damaged",
    sqlite3.SQLITE_FULL: "error.store_full",
    sqlite3.SQLITE_IOERR: "error.store_io",
    sqlite3.SQLITE_BUSY: "error.store_busy",
    sqlite3.SQLITE_READONLY: "error.store_read_only",
    sqlite3.SQLITE_CANTOPEN: "error.store_cannot_open",
}
"""What to do (catalogue key), by SQLite's primary result code."""
_POSTGRESQL_ADVICE = {
    "08": "error.store_lost",
    "57P": "error.store_lost",
    "28": "error.store_login",
    "3D": "error.store_no_database",
    "42501": "error.store_denied",
    "53100": "error.store_server_full",
    "53": "error.store_resources",
    "54": "error.store_resources",
    "57014": "error.store_timeout",
    "55P03": "error.store_busy",
    "40": "error.store_busy",
}
"""What to do (catalogue key), by PostgreSQL's SQLSTATE: the longest matching prefix."""
_RETRY_STATES = ("40001", "40P01")
"""Serialization failure and deadlock: PostgreSQL rolled the transaction back; try it again."""


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:
        return (DBAPIError, sqlite3.Error)
    return (DBAPIError, sqlite3.Error, psycopg.Error)


DATABASE_ERRORS = _driver_errors()
"""What a failing database raises: through SQLAlchemy, or from a driver's cursor read directly."""


class StoreError(MatrixError):
    """The store cannot be used (damaged, full, busy, unreachable, refused): said on one line,
    never with a password."""

    @classmethod
    def of(cls, location: StoreLocation, exc: BaseException) -> StoreError:
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        reason = "; ".join(line.strip() for line in str(cause).strip().splitlines() if line.strip())
        if isinstance(cause, sqlite3.Error):
            primary = (
                getattr(cause, "sqlite_errorcode", None) or 0
            ) & 0xFF  # extended codes: low byte
            advice = _SQLITE_ADVICE.get(primary)
        else:
            state = getattr(cause, "sqlstate", None) or ""
            advice = next(
                (
                    _POSTGRESQL_ADVICE[prefix]
                    for prefix in sorted(_POSTGRESQL_ADVICE, key=len, reverse=True)
                    if state.startswith(prefix)
                ),
                None,
            )
            if advice is None and not state and _is_connection_failure(exc):
                advice = _connection_advice(reason)
        return cls(
            advice or "error.store_unusable",
            path=str(location),
            reason=location.scrub(reason),
            seconds=BUSY_TIMEOUT_SECONDS,
        )


def _is_connection_failure(exc: BaseException) -> bool:
    return isinstance(exc, DBAPIError) and (
        exc.connection_invalidated or type(exc).__name__ == "OperationalError"
    )


LIBPQ_LOGIN = ("authentication failed", "no password supplied")
LIBPQ_NO_DATABASE = "does not exist"
"""libpq's own (English) words for why a connection failed: it gives no SQLSTATE before one is
established, so its message is matched, never shown as ours."""


def _connection_advice(reason: str) -> str:
    """The catalogue key of what to do when a connection could not be made."""
    if any(words in reason for words in LIBPQ_LOGIN):
        return _POSTGRESQL_ADVICE["28"]
    if LIBPQ_NO_DATABASE in reason:
        return _POSTGRESQL_ADVICE["3D"]
    if reason.startswith("connection failed"):
        return "error.store_unreachable"
    return "error.store_lost"


def is_retryable(exc: BaseException) -> bool:
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    return getattr(cause, "sqlstate", None) in _RETRY_STATES


_engines: dict[str, Engine] = {}

# A connection the server cut is discarded when the store closes, and SQLAlchemy logs its failed
# reset with a traceback; the user already has the failure as one line (StoreError).
logging.getLogger("sqlalchemy.pool").addHandler(logging.NullHandler())


def engine_for(location: StoreLocation) -> Engine:
    """The process's engine for the store: kept, because each engine compiles its statements
    afresh (about 30 ms for a report). Without a pool: closing a store closes its connection."""
    url = location.url
    if location.path is not None:  # SQLAlchemy makes the path absolute once, when it is created
        url = url.set(database=str(location.path.absolute()))
    key = url.render_as_string(hide_password=False)
    if key not in _engines:
        _engines[key] = _make_engine(url, location.is_sqlite)
    return _engines[key]


def _make_engine(url: URL, sqlite: bool) -> Engine:
    """An engine set up for matrix's transactions (see the module's docstring)."""
    if sqlite:
        engine = create_engine(
            url,
            poolclass=NullPool,
            hide_parameters=True,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
        )

        @event.listens_for(engine, "connect")
        def _set_up(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # we say BEGIN ourselves
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
            _use_wal(dbapi_connection)

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql(
                "BEGIN IMMEDIATE" if conn.get_execution_options().get("writing") else "BEGIN"
            )

        return engine
    try:
        import psycopg  # noqa: F401  (the driver SQLAlchemy loads)
    except ImportError:
        raise MatrixError("error.psycopg_missing") from None
    return create_engine(
        url,
        poolclass=NullPool,
        hide_parameters=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "matrix"},
    )


def _use_wal(dbapi_connection: sqlite3.Connection) -> None:
    """Switch a new SQLite store to WAL. The switch does not wait on the busy handler when another
    process is creating the same store at that moment, so wait for it here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def write(conn: Connection, location: StoreLocation, work: Callable[[Connection], T]) -> T:
    """Run `work` in one write transaction: all of it is kept or none. Retried when PostgreSQL
    aborts it to keep concurrent writers serializable; other failures become a StoreError."""
    for attempt in range(RETRIES):
        try:
            with _writing(conn, location):
                return work(conn)
        except DBAPIError as exc:
            if attempt + 1 < RETRIES and is_retryable(exc):
                time.sleep(0.05 * 2**attempt)
                continue
            raise StoreError.of(location, exc) from None
    raise AssertionError("unreachable")


@contextmanager
def _writing(conn: Connection, location: StoreLocation) -> Iterator[None]:
    if location.is_sqlite:
        conn.execution_options(writing=True)
        try:
            with conn.begin():
                yield
        finally:
            conn.execution_options(writing=False)
        return
    with conn.begin():
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        yield


@contextmanager
def snapshot(conn: Connection, location: StoreLocation) -> Iterator[None]:
    """Several reads that see one state of the store, even while a `collect` records files: a
    report reads period after period and must not mix two states."""
    if conn.in_transaction():
        yield
        return
    with conn.begin():
        if not location.is_sqlite:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
