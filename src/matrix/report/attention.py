"""What needs the committee's attention, ranked: a row is listed for a reason, never for a comment
alone, most pressing reason first (`Reason`), then in office and plan order.

- *overdue*: its activity's planned end passed before the period ended and it is not finished;
- *at risk*: reported on track, but its progress towards target trails the share of its
  activity's time gone by more than the plan's margin (`checks: {at_risk_margin}`, the `at-risk`
  check of validation), for indicators whose row is the total to date;
- *delayed without explanation*: reported delayed with nothing in its comments;
- *regression*: completed last period and not now, or a total to date lower than last period's;
- *delayed*: reported delayed, with the office's explanation.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from operator import attrgetter
from typing import NamedTuple

from matrix.models.plan import Activity, Status
from matrix.report.counting import COMMENTED, FINISHED_VALUES, NOT_REPORTED, Snapshot
from matrix.report.words import Words


class Reason(IntEnum):
    OVERDUE = 0
    AT_RISK = 1
    DELAYED_UNEXPLAINED = 2
    REGRESSION = 3
    DELAYED = 4


class Attention(NamedTuple):
    """Why row `row` needs attention: a catalogue key and its figures, put into words only for the
    rows a report lists (a global plan has hundreds of thousands of rows behind pace; a tuple
    each, the cheapest object Python makes)."""

    row: int
    reason: Reason
    key: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, words: Words) -> str:
        params = dict(self.params)
        if self.key == "report.reason.status_back":
            params = {name: words.status(status) for name, status in params.items()}
        return words.sentence(self.key, **params) if params else words.label(self.key)


def elapsed_percent(activity: Activity, as_of: date) -> float | None:
    """Share of the activity's planned time gone by `as_of`, 0-100; None without both dates."""
    start, end = activity.start, activity.end
    if start is None or end is None or end <= start:
        return None
    return 100 * min(max((as_of - start).days / (end - start).days, 0.0), 1.0)


def regressed_rows(now: Snapshot, before: Snapshot | None) -> frozenset[int]:
    """The rows that went back since `before` (see `regression`), found in one pass."""
    if before is None:
        return frozenset()
    completed, blank = Status.COMPLETED.value, NOT_REPORTED
    return frozenset(
        j
        for j, (was, status, earlier, achieved, total) in enumerate(
            zip(
                before.status,
                now.status,
                before.achieved,
                now.achieved,
                now.layout.total_to_date,
                strict=True,
            )
        )
        if (was == completed and status != completed and status != blank)
        or (total and earlier is not None and achieved is not None and achieved < earlier)
    )


ON_TRACK, DELAYED = Status.ON_TRACK.value, Status.DELAYED.value


def reason(
    now: Snapshot,
    before: Snapshot | None,
    j: int,
    margin: float,
    regressed: frozenset[int] = frozenset(),
    elapsed_of: dict[str, float | None] | None = None,
) -> Attention | None:
    """The most pressing reason row `j` needs attention; None when it needs none. `regressed`:
    the rows `regressed_rows` found; `elapsed_of`: activity id -> `elapsed_percent` as of the
    period's end, as far as worked out (filled in as it goes)."""
    layout, status = now.layout, now.status[j]
    end = layout.row_end[j]
    if end is not None and end < now.period_end and status not in FINISHED_VALUES:
        return Attention(j, Reason.OVERDUE, "report.reason.overdue", (("end", end.isoformat()),))
    progress = now.progress[j]
    if status == ON_TRACK and progress is not None and layout.total_to_date[j]:
        activity = layout.rows[j].activity
        elapsed_of = {} if elapsed_of is None else elapsed_of
        if activity.id not in elapsed_of:
            elapsed_of[activity.id] = elapsed_percent(activity, now.period_end)
        elapsed = elapsed_of[activity.id]
        if elapsed is not None and elapsed - progress > margin:
            return Attention(
                j,
                Reason.AT_RISK,
                "report.reason.at_risk",
                (("progress", f"{progress:.0f}"), ("elapsed", f"{elapsed:.0f}")),
            )
    if status == DELAYED and not now.notes[j] & COMMENTED:
        return Attention(j, Reason.DELAYED_UNEXPLAINED, "report.reason.delayed_unexplained")
    if j in regressed and before is not None and (back := regression(now, before, j)):
        return back
    if status == DELAYED:
        return Attention(j, Reason.DELAYED, "report.reason.delayed")
    return None


def regression(now: Snapshot, before: Snapshot, j: int) -> Attention | None:
    """'Went back: Completed last period, Cancelled now' or 'total fell from 40 to 25'; None when
    nothing went back."""
    was, status = before.status[j], now.status[j]
    if was == Status.COMPLETED.value and status not in (was, NOT_REPORTED):
        return Attention(
            j, Reason.REGRESSION, "report.reason.status_back", (("before", was), ("after", status))
        )
    row = now.layout.rows[j]
    earlier, achieved = before.achieved[j], now.achieved[j]
    if (
        row.indicator is not None
        and row.indicator.is_total_to_date
        and earlier is not None
        and achieved is not None
        and achieved < earlier
    ):
        return Attention(
            j,
            Reason.REGRESSION,
            "report.reason.total_fell",
            (("before", f"{earlier:,g}"), ("after", f"{achieved:,g}")),
        )
    return None


def ranked(
    now: Snapshot, before: Snapshot | None, margin: float, regressed: frozenset[int] | None = None
) -> list[Attention]:
    """Every row that needs attention, most pressing first, then in office and plan order."""
    if regressed is None:
        regressed = regressed_rows(now, before)
    elapsed_of: dict[str, float | None] = {}
    found = (
        reason(now, before, j, margin, regressed, elapsed_of)
        for j in _candidates(now, regressed, margin, elapsed_of)
    )
    # Candidates come in row order and the sort is stable: within a reason, rows stay in order.
    return sorted((a for a in found if a is not None), key=attrgetter("reason"))


def _candidates(
    now: Snapshot, regressed: frozenset[int], margin: float, elapsed_of: dict[str, float | None]
) -> list[int]:
    """The rows `reason` may find a reason for, in one pass over statuses, end dates and progress:
    most of a global plan's rows need no attention (most on track are not at risk), and asking
    `reason` about each costs more. `elapsed_of` as in `reason`."""
    layout, period_end = now.layout, now.period_end
    found = set(regressed)
    rows = layout.rows
    for j, (status, end, progress, total) in enumerate(
        zip(now.status, layout.row_end, now.progress, layout.total_to_date, strict=True)
    ):
        if status == DELAYED or (end is not None and end < period_end):
            found.add(j)
        elif status == ON_TRACK and progress is not None and total:
            activity = rows[j].activity
            if (elapsed := elapsed_of.get(activity.id, False)) is False:
                elapsed = elapsed_of[activity.id] = elapsed_percent(activity, period_end)
            if elapsed is not None and elapsed - progress > margin:
                found.add(j)
    return sorted(found)
