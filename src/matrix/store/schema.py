"""The store's schema, versioned from the first release: `PRAGMA user_version` counts the migrations
applied, and opening a store applies the missing ones in order, in one transaction.

Never edit a migration once released; append a new one. A store written by a newer matrix (more
migrations than this code knows) is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matrix.errors import MatrixError
from matrix.files import describe

APPLICATION_ID = 0x4D545258
"""'MTRX': marks a SQLite file as a matrix store, so another program's database is never touched."""
SQLITE_HEADER = b"SQLite format 3\x00"
_VERSION_AND_ID = struct.Struct(">60xI4xI")
"""The database header's user version (offset 60) and application id (offset 68), big-endian."""

MIGRATIONS: list[str] = [
    # 1: plans, submissions, progress rows and proposed activities
    """
    CREATE TABLE plans (
        id          INTEGER PRIMARY KEY,
        plan_id     TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL,
        snapshot    TEXT NOT NULL,
        first_seen  TEXT NOT NULL
    );
    CREATE TABLE submissions (
        id             INTEGER PRIMARY KEY,
        plan_ref       INTEGER NOT NULL REFERENCES plans(id),
        sha256         TEXT,
        file_name      TEXT NOT NULL,
        size           INTEGER,
        received_at    TEXT NOT NULL,
        plan_hash      TEXT,
        office         TEXT,
        regional       INTEGER,
        period         TEXT,
        lang           TEXT,
        generated_at   TEXT,
        outcome        TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
        superseded_by  INTEGER REFERENCES submissions(id),
        errors         INTEGER NOT NULL,
        warnings       INTEGER NOT NULL,
        problems       TEXT NOT NULL,
        row_count      INTEGER NOT NULL,
        proposed_count INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX submissions_accepted_once ON submissions(sha256) WHERE outcome = 'accepted';
    CREATE INDEX submissions_sha256 ON submissions(sha256);
    CREATE INDEX submissions_office_period ON submissions(office, period);
    CREATE TABLE progress (
        submission_id   INTEGER NOT NULL REFERENCES submissions(id),
        country         TEXT NOT NULL,
        activity_id     TEXT NOT NULL,
        indicator_index INTEGER NOT NULL,
        ref             TEXT NOT NULL,
        sheet           TEXT NOT NULL,
        row             INTEGER NOT NULL,
        status          TEXT,
        actual          REAL,
        funds_secured   REAL,
        comments        TEXT NOT NULL,
        next_steps      TEXT NOT NULL,
        support_needed  TEXT NOT NULL,
        PRIMARY KEY (submission_id, country, ref)
    );
    CREATE INDEX progress_country_ref ON progress(country, ref);
    CREATE TABLE proposed_activities (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        sheet         TEXT NOT NULL,
        row           INTEGER NOT NULL,
        action_point  TEXT,
        title         TEXT NOT NULL,
        lead          TEXT NOT NULL,
        partners      TEXT NOT NULL,
        indicator     TEXT NOT NULL,
        unit          TEXT NOT NULL,
        target        REAL,
        start         TEXT,
        "end"         TEXT,
        status        TEXT,
        actual        REAL,
        comments      TEXT NOT NULL,
        PRIMARY KEY (submission_id, sheet, row)
    );
    """,
]

def check_store_file(path: Path) -> None:
    """Refuse an existing file that is not a matrix store, or one from a newer matrix, by reading
    it only: nothing (not even the switch to WAL) may write to another program's database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise MatrixError("error.cannot_open_store", path=path, reason=describe(exc)) from None
    if not header:
        return  # an empty file becomes a new store
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise MatrixError("error.not_sqlite", path=path)
    version, app_id = _VERSION_AND_ID.unpack_from(header)
    if app_id == 0:
        wal = Path(f"{path}-wal")
        if wal.is_file() and wal.stat().st_size:
            # a store whose creation was cut short keeps its id in the write-ahead log: ask SQLite,
            # read-only (it may add the log's index file, as any reader would)
            version, app_id, tables = _read_only_facts(path)
        else:
            tables = _pages(header, size) > 1  # every table needs a page after the schema's
        if app_id == 0 and tables:
            raise _not_ours(path)
    _check_version_and_id(path, version, app_id)


def _pages(header: bytes, size: int) -> int:
    """The database's size in pages, from its header (or the file's size when the header's count
    is stale, as old writers leave it)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size or 4096
    counted, changes, valid_for = (int.from_bytes(header[at:at + 4], "big") for at in (28, 24, 92))
    return counted if counted and changes == valid_for else size // page_size


def _read_only_facts(path: Path) -> tuple[int, int, int]:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise MatrixError("error.cannot_open_store", path=path, reason=str(exc)) from None
    return version, app_id, tables


def _check_version_and_id(path: Path | str, version: int, app_id: int) -> None:
    if app_id not in (0, APPLICATION_ID):
        raise _not_ours(path)
    if version > len(MIGRATIONS):
        raise MatrixError("error.store_newer", path=path, version=version, supported=len(MIGRATIONS))


def _not_ours(path: Path | str) -> MatrixError:
    return MatrixError("error.foreign_database", path=path)


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the store up to date; returns the version it is at. The caller holds no transaction."""
    migrations = MIGRATIONS
    with write_transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
        if app_id == 0 and has_tables:
            raise _not_ours(path)
        _check_version_and_id(path, version, app_id)
        for number in range(version, len(migrations)):
            for statement in _statements(migrations[number]):
                conn.execute(statement)
        if version < len(migrations):
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {len(migrations)}")
    return len(migrations)


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock first (waiting up to the busy timeout), so two writers
    queue instead of failing half way; everything inside commits together or not at all."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back itself (disk full, I/O error)
            conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a script into statements; `executescript` would commit our transaction first."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
