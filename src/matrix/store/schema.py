"""The store's schema, versioned from the first release: `PRAGMA user_version` counts the migrations
applied, and opening a store applies the missing ones in order, in one transaction.

Never edit a migration once released; append a new one. A store written by a newer matrix (more
migrations than this code knows) is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from matrix.errors import MatrixError

APPLICATION_ID = 0x4D545258
"""'MTRX': marks a SQLite file as a matrix store, so another program's database is never touched."""

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

def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the store up to date; returns the version it is at. The caller holds no transaction."""
    migrations = MIGRATIONS
    with write_transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and has_tables):
            raise MatrixError(f"{path} is a SQLite database but not a matrix store; choose another --store path")
        if version > len(migrations):
            raise MatrixError(
                f"{path} was written by a newer version of matrix (store schema {version}; this version "
                f"reads up to {len(migrations)}); upgrade matrix to use it"
            )
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
