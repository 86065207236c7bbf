"""What offices write besides figures, kept with each submission: overview texts, initiatives and
good practices, in one table (`narratives`, store schema 2) holding each item as its model's JSON.
Its only queries are here, so moving the store to another engine moves one table and two reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from matrix.models.returns import GoodPractice, Initiative, Narratives, OverviewText

KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "overview": ("overview", OverviewText),
    "initiative": ("initiatives", Initiative),
    "good_practice": ("good_practices", GoodPractice),
}
"""Stored kind -> (field of `Narratives`, model of one item)."""


@dataclass(frozen=True)
class StoredNarratives:
    """The narratives of one accepted return."""

    period: str
    office: str
    submission_id: int
    received_at: datetime
    narratives: Narratives


def record(conn: sqlite3.Connection, submission_id: int, narratives: Narratives) -> None:
    """Inside the caller's transaction, with the submission's progress rows."""
    rows = [
        (submission_id, kind, position, item.model_dump_json())
        for kind, (field, _) in KINDS.items()
        for position, item in enumerate(getattr(narratives, field))
    ]
    if rows:
        conn.executemany(
            "INSERT INTO narratives (submission_id, kind, position, body) VALUES (?, ?, ?, ?)", rows
        )


def current(
    conn: sqlite3.Connection, plan_id: str, periods: Collection[str], office: str | None = None
) -> list[StoredNarratives]:
    """The narratives of each office's current return (accepted, not superseded) in `periods`,
    oldest return first; returns that wrote none are left out."""
    if not periods:
        return []
    sql = f"""SELECT s.period, s.office, s.id, s.received_at, n.kind, n.body
              FROM narratives n
              JOIN submissions s ON s.id = n.submission_id JOIN plans p ON p.id = s.plan_ref
              WHERE p.plan_id = ? AND s.outcome = 'accepted' AND s.superseded_by IS NULL
                AND s.period IN ({", ".join("?" for _ in periods)})"""
    params: list[object] = [plan_id, *periods]
    if office is not None:
        sql += " AND s.office = ?"
        params.append(office)
    found: dict[int, tuple[tuple[str, str, str], dict[str, list[BaseModel]]]] = {}
    for period, office_, submission_id, received_at, kind, body in conn.execute(
        sql + " ORDER BY s.id, n.kind, n.position", params
    ):
        field, model = KINDS[kind]
        _, items = found.setdefault(submission_id, ((period, office_, received_at), {}))
        items.setdefault(field, []).append(model.model_validate_json(body))
    return [
        StoredNarratives(
            period, office_, submission_id, datetime.fromisoformat(received), Narratives(**items)
        )
        for submission_id, ((period, office_, received), items) in found.items()
    ]
