"""Plan versions and the matrices generated from them, in the store (`matrix.versions`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from matrix.store.tables import issued_matrices, plan_versions
from matrix.versions import IssuedMatrix, PlanVersion


def keep(conn: Connection, version: PlanVersion) -> None:
    """Store `version` unless it is there already (its first use stays the earliest)."""
    found = conn.execute(select(plan_versions.c.id).where(plan_versions.c.hash == version.hash))
    if found.first() is None:
        conn.execute(
            insert(plan_versions).values(
                plan_id=version.plan_id,
                hash=version.hash,
                text=version.text,
                first_used=version.first_used.isoformat(),
            )
        )


def record_issued(conn: Connection, issued: list[IssuedMatrix]) -> None:
    if issued:
        conn.execute(
            insert(issued_matrices),
            [{**matrix.as_json(), "regional": int(matrix.regional)} for matrix in issued],
        )


def versions(conn: Connection, plan_id: str) -> list[PlanVersion]:
    query = select(plan_versions).where(plan_versions.c.plan_id == plan_id)
    return [
        PlanVersion(r.plan_id, r.hash, r.text, datetime.fromisoformat(r.first_used))
        for r in conn.execute(query.order_by(plan_versions.c.id))
    ]


def issued(conn: Connection, plan_id: str, period: str | None = None) -> list[IssuedMatrix]:
    query = select(issued_matrices).where(issued_matrices.c.plan_id == plan_id)
    if period is not None:
        query = query.where(issued_matrices.c.period == period)
    return [
        IssuedMatrix(
            plan_id=r.plan_id,
            plan_hash=r.plan_hash,
            office=r.office,
            regional=bool(r.regional),
            period=r.period,
            lang=r.lang,
            generated_at=datetime.fromisoformat(r.generated_at),
            file_name=r.file_name,
        )
        for r in conn.execute(query.order_by(issued_matrices.c.id))
    ]
