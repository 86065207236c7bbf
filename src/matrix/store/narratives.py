"""What offices write besides figures, kept with each accepted return: overview texts, initiatives
and good practices, in one table (`tables.narratives`, store schema 2) holding each item as its
model's JSON, and the two reads of it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from matrix.models.plan import Plan
from matrix.models.returns import GoodPractice, Initiative, Narratives, OverviewText
from matrix.store.queries import counting_returns
from matrix.store.tables import narratives, submissions

KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "overview": ("overview", OverviewText),
    "initiative": ("initiatives", Initiative),
    "good_practice": ("good_practices", GoodPractice),
}
"""Stored kind -> (field of `Narratives`, model of one item)."""
_INSERT = insert(narratives)


@dataclass(frozen=True)
class StoredNarratives:
    """The narratives of one accepted return."""

    period: str
    office: str
    submission_id: int
    received_at: datetime
    narratives: Narratives


def record(conn: Connection, submission_id: int, found: Narratives) -> None:
    """Inside the caller's transaction, with the submission's progress rows."""
    rows = [
        {
            "submission_id": submission_id,
            "kind": kind,
            "position": position,
            "body": item.model_dump_json(),
        }
        for kind, (field, _) in KINDS.items()
        for position, item in enumerate(getattr(found, field))
    ]
    if rows:
        conn.execute(_INSERT, rows)


def current(
    conn: Connection, plan: Plan, periods: Collection[str], office: str | None = None
) -> list[StoredNarratives]:
    """The narratives of each office's return that counts (`queries.counting_returns`) in `periods`,
    oldest return first; returns that wrote none are left out."""
    if not periods:
        return []
    s = submissions.c
    query = (
        select(s.period, s.office, s.id, s.received_at, narratives.c.kind, narratives.c.body)
        .select_from(narratives.join(submissions, s.id == narratives.c.submission_id))
        .where(
            s.id.in_(counting_returns(plan)),
            s.period.in_(list(periods)),
        )
        .order_by(s.id, narratives.c.kind, narratives.c.position)
    )
    if office is not None:
        query = query.where(s.office == office)
    found: dict[int, tuple[tuple[str, str, str], dict[str, list[BaseModel]]]] = {}
    for r in conn.execute(query):
        field, model = KINDS[r.kind]
        _, items = found.setdefault(r.id, ((r.period, r.office, r.received_at), {}))
        items.setdefault(field, []).append(model.model_validate_json(r.body))
    return [
        StoredNarratives(
            period,
            office_,
            submission_id,
            datetime.fromisoformat(received),
            Narratives.model_validate(items),
        )
        for submission_id, ((period, office_, received), items) in found.items()
    ]
