"""The needs-attention section (`matrix.report.attention` ranks its rows) and the line every
section lists a row with."""

from __future__ import annotations

from matrix.models.plan import Status
from matrix.report.attention import Attention
from matrix.report.context import ActivityLine
from matrix.report.counting import FINISHED_VALUES, Snapshot
from matrix.report.words import Words

MAX_DELAYED_SHOWN = 200
"""Rows needing attention listed in their section; the rest are counted (`matrix export` has
them all)."""


def overdue(now: Snapshot, j: int) -> bool:
    """Planned end passed before the period's end, and the row not finished."""
    end = now.layout.row_end[j]
    return end is not None and end < now.period_end and now.status[j] not in FINISHED_VALUES


def delayed_rows(now: Snapshot) -> list[int]:
    """Rows reported delayed, or past their end and unfinished, in office then plan order."""
    delayed, period_end = Status.DELAYED.value, now.period_end
    return [
        j
        for j, (status, end) in enumerate(zip(now.status, now.layout.row_end, strict=True))
        if status == delayed
        or (end is not None and end < period_end and status not in FINISHED_VALUES)
    ]


def activity_line(
    now: Snapshot, j: int, words: Words, why: Attention | None = None
) -> ActivityLine:
    """Row `j` as the needs-attention section and the offices' sections list it."""
    row, office, reported = now.layout.rows[j], now.layout.row_office[j], now.reported[j]
    activity, indicator, status, progress = (
        row.activity,
        row.indicator,
        now.status[j],
        now.progress[j],
    )
    return ActivityLine(
        office=office,
        office_name=words.office(office),
        ref=row.ref,
        activity_id=activity.id,
        activity=words.text(activity.title),
        action_point=words.action_point(now.layout.action_point[activity.id]),
        lead=activity.lead or "",
        partners=", ".join(activity.partners),
        indicator=words.text(indicator.name) if indicator else "",
        unit=words.text(indicator.unit) if indicator and indicator.unit else "",
        target=now.layout.target[j],
        achieved=now.achieved[j],
        achieved_text=words.value(row.kind, now.achieved[j]),
        progress=progress,
        progress_bar=now.capped(j) or 0.0,
        status=status,
        status_label=words.status(status),
        end=activity.end,
        overdue=overdue(now, j),
        comments=reported.comments if reported else "",
        next_steps=reported.next_steps if reported else "",
        support_needed=reported.support_needed if reported else "",
        reason=why.reason.name.lower() if why else "",
        reason_text=why.text(words) if why else "",
    )
