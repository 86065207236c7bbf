"""Each office's figures as of each period, kept in the store (`tables.summaries`, store schema 4;
its rows since 5, its funds since 6)
as `matrix.report.summaries` writes them: the store keeps and hands back their text, it does not
read it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

from sqlalchemy import case, delete, func, insert, literal, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from matrix.store.tables import summaries


@dataclass(frozen=True)
class StoredSummary:
    office: str
    period: str
    inputs: str
    """Digest of what it was worked out from: it counts only while that is still what is stored."""
    figures: str
    capped: str
    carried: str
    rows: str
    funds: str


def allowed(conn: Connection, *privileges: str) -> bool:
    """Whether this login holds every one of `privileges` on the summaries: PostgreSQL roles
    granted before store schema 4 do not, and do without them (a report works them out)."""
    if conn.dialect.name != "postgresql":
        return True
    held = [func.has_table_privilege(summaries.name, privilege) for privilege in privileges]
    return all(conn.execute(select(*held)).one())


def read(
    conn: Connection,
    plan_hash: str,
    offices: list[str] | None = None,
    rows_of: Collection[str] | None = None,
) -> list[StoredSummary]:
    """Every summary kept for this plan version, or for these of its `offices` (none when this
    login may not read them); only the periods `rows_of` with their rows and funds, when given
    (the others' left empty: the bulk of a summary, which a report reads for two periods)."""
    if not allowed(conn, "SELECT"):
        return []
    s = summaries.c
    rows: ColumnElement[str] = s.rows
    funds: ColumnElement[str] = s.funds
    if rows_of is not None:
        wanted = s.period.in_(list(rows_of))
        rows, funds = (case((wanted, column), else_=literal("")) for column in (s.rows, s.funds))
    query = select(s.office, s.period, s.inputs, s.figures, s.capped, s.carried, rows, funds).where(
        s.plan_hash == plan_hash
    )
    if offices is not None:
        query = query.where(s.office.in_(offices))
    return [StoredSummary(*row) for row in conn.execute(query)]


def kept_inputs(conn: Connection, plan_hash: str) -> dict[tuple[str, str], str]:
    """(office, period) -> what each summary kept for this plan version was worked out from: a
    few bytes each, to tell which are stale before reading any figures."""
    if not allowed(conn, "SELECT"):
        return {}
    s = summaries.c
    query = select(s.office, s.period, s.inputs).where(s.plan_hash == plan_hash)
    return {(office, period): inputs for office, period, inputs in conn.execute(query)}


def keep(conn: Connection, plan_id: str, plan_hash: str, found: list[StoredSummary]) -> None:
    """Replace the summaries of these offices and periods, and drop those of the plan's other
    versions: a report reads only its own version's."""
    s = summaries.c
    conn.execute(delete(summaries).where(s.plan_id == plan_id, s.plan_hash != plan_hash))
    keys = [(summary.office, summary.period) for summary in found]
    for start in range(0, len(keys), 500):
        conn.execute(
            delete(summaries).where(
                s.plan_hash == plan_hash,
                tuple_(s.office, s.period).in_(keys[start : start + 500]),
            )
        )
    if found:
        version = {"plan_id": plan_id, "plan_hash": plan_hash}
        conn.execute(insert(summaries), [{**asdict(summary), **version} for summary in found])
