"""Building blocks for store tests: validation results made in code, and the store's soundness check."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from matrix.codes import Code
from matrix.excel.layout import plan_rows
from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow, ProposedActivity, ValidationResult, WorkbookIdentity
from matrix.store import Store


def make_result(
    plan: Plan,
    office: str,
    period: str,
    *,
    actual: float | None = 5,
    comments: str = "going well",
    content: str = "",
    rejected: bool = False,
    proposed: int = 0,
) -> ValidationResult:
    """A return from `office` for `period`, every row on track with `actual`; `content` makes the
    file's hash differ, as a corrected re-send would."""
    identity = WorkbookIdentity(
        template_schema=1, tool_version="0.1.0", plan_id=plan.id, plan_hash=plan.content_hash(), office=office,
        regional=office not in plan.countries, period=period, lang="en", generated_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    countries = [office] if office in plan.countries else [*plan.countries, office]
    rows = [
        ProgressRow(
            country=country, activity_id=r.activity.id, indicator_index=r.indicator_index, ref=r.ref,
            sheet=country, row=4 + n, status=Status.ON_TRACK, actual=actual, comments=comments,
        )
        for country in countries
        for n, r in enumerate(plan_rows(plan, None if country == office and office not in plan.countries else country))
    ]
    issues = [Code.INVALID_VALUE.issue(file="x.xlsx", sheet="Matrix", cell="O4", where="O4", reason="bad")] if rejected else []
    name = f"{office}_{period}.xlsx"
    digest = hashlib.sha256(f"{name}|{actual}|{comments}|{content}|{rejected}".encode()).hexdigest()
    return ValidationResult(
        file=f"/inbox/{name}", sha256=digest, size=1000, identity=identity, issues=issues,
        rows=[] if rejected else rows,
        proposed=[ProposedActivity(sheet="New activities", row=4 + i, title=f"Idea {i}") for i in range(proposed)],
    )


def integrity_problems(store: Store) -> list[str]:
    """What `PRAGMA integrity_check` and the per-submission row counts say is wrong."""
    problems = [m for (m,) in store.conn.execute("PRAGMA integrity_check") if m != "ok"]
    for sid, expected, found in store.conn.execute(
        "SELECT s.id, s.row_count, (SELECT count(*) FROM progress WHERE submission_id = s.id) FROM submissions s"
    ):
        if expected != found:
            problems.append(f"submission {sid} should have {expected} progress rows but has {found}")
    return problems
