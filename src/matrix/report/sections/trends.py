"""The trends section: progress and completion over every period so far, and the rows whose
status changed since the previous period."""

from __future__ import annotations

from matrix.models.plan import Status
from matrix.periods import Period
from matrix.report.charts import (
    TREND_HEIGHT,
    TREND_LEFT,
    TREND_RIGHT,
    TREND_WIDTH,
    gridlines,
    polyline,
    trend_x,
    trend_y,
)
from matrix.report.context import StatusChange, TrendChart, TrendPoint
from matrix.report.counting import Figures, Snapshot, percent
from matrix.report.data import ReportData
from matrix.report.words import Words

MAX_CHANGES_SHOWN = 200
"""Status changes listed; the count says how many more there are."""


def trend(data: ReportData, points: list[tuple[Period, Figures]], offices: list[str]) -> TrendChart:
    """Average progress and completed share in every stored period, the first to the report's."""
    chosen = set(offices)
    out = []
    for i, (p, figures) in enumerate(points):
        average = figures.average
        done = percent(figures.counts[Status.COMPLETED.value], figures.activities)
        received = {
            s.office
            for s in data.submissions
            if s.period == p.id and s.accepted and s.office in chosen
        }
        out.append(
            TrendPoint(
                period=p.id,
                average_progress=average,
                completed_percent=done,
                delayed=figures.counts[Status.DELAYED.value],
                returns_received=len(received),
                x=round(trend_x(i, len(points)), 1),
                y_progress=trend_y(average),
                y_completed=trend_y(done),
            )
        )
    return TrendChart(
        points=out,
        progress_path=polyline((p.x, p.y_progress) for p in out),
        completed_path=polyline((p.x, p.y_completed) for p in out),
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        gridlines=gridlines(),
        plot_left=TREND_LEFT,
        plot_right=TREND_RIGHT,
    )


def changed_rows(now: Snapshot, before: Snapshot | None) -> list[int]:
    """Rows reported now whose status differs from the previous period's."""
    if before is None:
        return []
    return [
        j
        for j, (r, status, was) in enumerate(
            zip(now.reported, now.status, before.status, strict=True)
        )
        if r is not None and r.status is not None and status != was
    ]


def status_change(now: Snapshot, j: int, before: Snapshot | None, words: Words) -> StatusChange:
    row, status = now.layout.rows[j], now.status[j]
    assert before is not None  # a change needs a previous period
    return StatusChange(
        office_name=words.office(now.layout.row_office[j]),
        ref=row.ref,
        activity=words.text(row.activity.title),
        before=words.status(before.status[j]),
        after=words.status(status),
        after_status=status,
    )
