"""`matrix store copy SRC DST`: a whole store from SQLite to PostgreSQL or back, nothing lost.

Every row keeps its id (supersession and progress rows refer to submissions by id). The copy is
one write transaction on DST, read from one snapshot of SRC, and before it commits each table's
row count and checksum are compared on both sides: a mismatch rolls it back, so DST is either a
faithful copy or as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Float, Integer, Table, bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection

from matrix.errors import MatrixError
from matrix.i18n import t
from matrix.store.connection import write
from matrix.store.queries import STREAM
from matrix.store.store import Store
from matrix.store.tables import DATA_TABLES, plans, submissions
from matrix.text_table import table

BATCH = 5_000
"""Rows inserted per statement."""
_MODULUS = 2**256


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    copied_rows: int
    source_checksum: str
    copied_checksum: str

    @property
    def matches(self) -> bool:
        return (self.source_rows, self.source_checksum) == (self.copied_rows, self.copied_checksum)


def copy_store(source: Store, target: Store) -> list[TableCheck]:
    """Copy every row of `source` into the empty `target`; returns each table's comparison.
    MatrixError (nothing written) when `target` holds data or any table differs after the copy."""
    with source.reading():
        before = {t.name: _fingerprint(source.conn, t) for t in DATA_TABLES}

        def copy(conn: Connection) -> list[TableCheck]:
            held = conn.execute(select(func.count()).select_from(submissions)).scalar_one()
            held += conn.execute(select(func.count()).select_from(plans)).scalar_one()
            if held:
                raise MatrixError("error.store_not_empty", location=target.location)
            for t in DATA_TABLES:
                _copy_table(source.conn, conn, t)
            if conn.dialect.name == "postgresql":
                for t in (plans, submissions):  # identity columns continue after the copied ids
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                            f"coalesce((SELECT max(id) FROM {t.name}), 0) + 1, false)"
                        )
                    )
            checks = []
            for t in DATA_TABLES:
                (source_rows, source_sum), (copied_rows, copied_sum) = (
                    before[t.name],
                    _fingerprint(conn, t),
                )
                checks.append(TableCheck(t.name, source_rows, copied_rows, source_sum, copied_sum))
            if not all(check.matches for check in checks):
                raise CopyMismatch(checks)
            return checks

        return write(target.conn, target.location, copy)


class CopyMismatch(MatrixError):
    """A table differs after the copy: the copy was rolled back."""

    def __init__(self, checks: list[TableCheck]):
        self.checks = checks
        super().__init__("error.copy_differs", tables=[c.table for c in checks if not c.matches])

    def render(self, lang: str = "en") -> str:
        return f"{super().render(lang)}\n{render_checks(self.checks, lang)}"


def _copy_table(source: Connection, target: Connection, t: Table) -> None:
    """Every row of `t`; a submission's `superseded_by`, which names a later submission, is set once
    they are all in."""
    batch: list[dict] = []
    superseded: list[dict] = []
    for row in source.execute(select(t), execution_options=STREAM):
        values = dict(row._mapping)
        if t is submissions and values["superseded_by"] is not None:
            superseded.append({"old": values["id"], "new": values.pop("superseded_by")})
            values["superseded_by"] = None
        batch.append(values)
        if len(batch) == BATCH:
            target.execute(insert(t), batch)
            batch = []
    if batch:
        target.execute(insert(t), batch)
    if superseded:
        target.execute(
            update(submissions)
            .where(submissions.c.id == bindparam("old"))
            .values(superseded_by=bindparam("new")),
            superseded,
        )


def _fingerprint(conn: Connection, t: Table) -> tuple[int, str]:
    """(rows, checksum): the SHA-256 of every row's values in a form both databases give alike,
    summed modulo 2**256, so the order rows come back in does not matter."""
    total, count = 0, 0
    for row in _canonical_rows(conn, t):
        total = (total + int.from_bytes(hashlib.sha256(row).digest(), "big")) % _MODULUS
        count += 1
    return count, f"{total:064x}"


def _canonical_rows(conn: Connection, t: Table) -> Iterator[bytes]:
    kinds = [
        (Float if isinstance(c.type, Float) else Integer if isinstance(c.type, Integer) else None)
        for c in t.columns
    ]
    for row in conn.execute(select(t), execution_options=STREAM):
        yield "\x1f".join(
            "\x00"
            if value is None
            else repr(float(value))
            if kind is Float
            else str(int(value))
            if kind is Integer
            else str(value)
            for value, kind in zip(row, kinds, strict=True)
        ).encode()


def render_checks(checks: list[TableCheck], lang: str = "en") -> str:
    rows = [
        (
            c.table,
            c.source_rows,
            c.copied_rows,
            c.source_checksum[:16],
            c.copied_checksum[:16],
            t(lang, "store.copy.ok" if c.matches else "store.copy.mismatch"),
        )
        for c in checks
    ]
    headers = [
        t(lang, f"store.copy.{key}")
        for key in ("table", "source_rows", "copied_rows", "source_checksum", "copied_checksum")
    ]
    return table((*headers, ""), rows)
