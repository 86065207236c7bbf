"""Recording one validated file: duplicate, rejected, accepted or superseding, all of it in the
caller's one write transaction (`connection.write`), so a killed process leaves a submission with
all its rows or none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, case, insert, select, update
from sqlalchemy.engine import Connection

from matrix.models.issues import tally
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.plan import plan_index
from matrix.store import narratives
from matrix.store.queries import ranked_returns
from matrix.store.rows import Outcome, Recorded
from matrix.store.tables import plans, progress, proposed_activities, submissions

_PROGRESS_FIELDS = tuple(c.name for c in progress.columns if c.name != "submission_id")
_PROPOSED_FIELDS = tuple(c.name for c in proposed_activities.columns if c.name != "submission_id")

# Built once: a collect records thousands of files with the same few statements.
_SEEN = (
    select(submissions.c.id, submissions.c.outcome)
    .where(submissions.c.sha256 == bindparam("sha256"))
    .order_by(case((submissions.c.outcome == "accepted", 0), else_=1), submissions.c.id)
)
_SUPERSEDE = (
    update(submissions)
    .where(submissions.c.id == bindparam("old"))
    .values(superseded_by=bindparam("new"))
)
_RANKED = ranked_returns(
    bindparam("plan_id"), office=bindparam("office"), period=bindparam("period")
)
_INSERT_SUBMISSION = insert(submissions).returning(submissions.c.id)
_INSERT_PROGRESS = insert(progress)
_INSERT_PROPOSED = insert(proposed_activities)


def record(
    conn: Connection,
    result: ValidationResult,
    plan: Plan,
    plan_ref: int | None,
    received_at: datetime | None,
) -> tuple[Recorded, int | None]:
    """Record `result`; returns the outcome and the plan's row id (`plan_ref` when the caller knows
    it already: hashing and dumping a large plan costs more than recording a return)."""
    received = _utc(received_at or datetime.now(UTC)).isoformat(timespec="seconds")
    accepted = result.accepted
    if result.sha256:
        seen = conn.execute(_SEEN, {"sha256": result.sha256}).first()
        # A file accepted before, or rejected before and rejected again, changes nothing;
        # a file rejected before that passes now (plan fixed, other --period) is recorded.
        if seen and (seen.outcome == "accepted" or not accepted):
            return Recorded(Outcome.DUPLICATE, seen.id), plan_ref
    plan_ref = plan_ref or plan_row(conn, plan)
    submission_id = _insert_submission(conn, result, plan_ref, received, accepted)
    if not accepted:
        return Recorded(Outcome.REJECTED, submission_id), plan_ref
    _insert_rows(conn, submission_id, result)
    identity = result.identity
    assert identity is not None  # accepted implies an identity
    return _supersede(conn, plan, identity.office, identity.period, submission_id), plan_ref


def _supersede(conn: Connection, plan: Plan, office: str, period: str, new: int) -> Recorded:
    """Mark every other accepted return of the office for the period superseded by the one that
    counts, by the rule of `queries.ranked_returns` (the latest received, then the latest
    collected), so that the order files are collected in changes nothing."""
    ranked = conn.execute(_RANKED, {"plan_id": plan.id, "office": office, "period": period}).all()
    winner = next(r.id for r in ranked if r.n == 1)
    # a store that followed the collection order may have marked the winner superseded
    marks = [(r.id, winner) for r in ranked if r.id != winner and r.superseded_by is None]
    marks += [(winner, None) for r in ranked if r.id == winner and r.superseded_by is not None]
    if marks:
        conn.execute(_SUPERSEDE, [{"old": old, "new": by} for old, by in marks])
    if winner != new:
        return Recorded(Outcome.OUTDATED, new)
    replaced = sorted(old for old, by in marks if by == winner)
    if replaced:
        return Recorded(Outcome.SUPERSEDED, new, replaced[-1])
    return Recorded(Outcome.ACCEPTED, new)


def plan_row(conn: Connection, plan: Plan) -> int:
    """The plan's row id, its snapshot stored the first time it is seen."""
    digest = plan_index(plan).content_hash
    found = conn.execute(select(plans.c.id).where(plans.c.hash == digest)).scalar()
    if found is not None:
        return found
    return conn.execute(
        insert(plans)
        .values(
            plan_id=plan.id,
            hash=digest,
            title=plan.title,
            snapshot=plan.model_dump_json(),
            first_seen=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        .returning(plans.c.id)
    ).scalar_one()


def _insert_submission(
    conn: Connection, result: ValidationResult, plan_ref: int, received: str, accepted: bool
) -> int:
    identity = result.identity
    errors, warnings = tally(result.issues)
    values = {
        "plan_ref": plan_ref,
        "sha256": result.sha256,
        "file_name": Path(result.file).name,
        "size": result.size,
        "received_at": received,
        "outcome": "accepted" if accepted else "rejected",
        "errors": errors,
        "warnings": warnings,
        "problems": json.dumps(
            [issue.model_dump(mode="json", fallback=str) for issue in result.issues]
        ),
        "row_count": len(result.rows) if accepted else 0,
        "proposed_count": len(result.proposed) if accepted else 0,
        "plan_hash": None,
        "office": None,
        "regional": None,
        "period": None,
        "lang": None,
        "generated_at": None,
    }
    if identity is not None:
        values |= {
            "plan_hash": identity.plan_hash,
            "office": identity.office,
            "regional": int(identity.regional),
            "period": identity.period,
            "lang": identity.lang,
            "generated_at": identity.generated_at.isoformat(),
        }
    return conn.execute(_INSERT_SUBMISSION, values).scalar_one()


def _insert_rows(conn: Connection, submission_id: int, result: ValidationResult) -> None:
    narratives.record(conn, submission_id, result.narratives)
    if result.rows:
        conn.execute(
            _INSERT_PROGRESS,
            [
                {
                    "submission_id": submission_id,
                    **{name: getattr(r, name) for name in _PROGRESS_FIELDS},
                    "status": r.status and r.status.value,
                }
                for r in result.rows
            ],
        )
    if result.proposed:
        conn.execute(
            _INSERT_PROPOSED,
            [
                {
                    "submission_id": submission_id,
                    **{name: getattr(p, name) for name in _PROPOSED_FIELDS},
                    "start": p.start and p.start.isoformat(),
                    "end": p.end and p.end.isoformat(),
                    "status": p.status and p.status.value,
                }
                for p in result.proposed
            ],
        )


def _utc(moment: datetime) -> datetime:
    """Received dates are compared as stored text, so all in UTC (a date without a zone is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
