"""The trends section: progress and completion over every period so far, and the rows whose
status changed since the previous period."""

from __future__ import annotations

from matrix.models.plan import ActionPoint, Status
from matrix.periods import Period
from matrix.report.charts import (
    TREND_HEIGHT,
    TREND_LEFT,
    TREND_RIGHT,
    TREND_WIDTH,
    gridlines,
    polyline,
    spark,
    trend_x,
    trend_y,
)
from matrix.report.context import Spark, StatusChange, TrendChart, TrendPoint
from matrix.report.counting import NOT_REPORTED, Figures, Layout, Snapshot, percent
from matrix.report.data import ReportData, Summary
from matrix.report.words import Words

MAX_CHANGES_SHOWN = 200
"""Status changes listed; the count says how many more there are."""


class History:
    """Mean capped progress per action point and per indicator (over its offices), period by
    period: one pass over the rows with a target per stored period, kept as a few numbers."""

    def __init__(self, layout: Layout, action_points: list[ActionPoint]):
        self.periods: list[str] = []
        self.by_action_point: dict[str, list[float | None]] = {ap.id: [] for ap in action_points}
        self.ref_index: dict[str, int] = {}
        self.ref_of = [
            self.ref_index.setdefault(row.ref, len(self.ref_index)) for row in layout.rows
        ]
        self.by_ref: list[list[float | None]] = [[] for _ in self.ref_index]
        ap_of_ref: dict[int, str] = {}
        for j, row in enumerate(layout.rows):
            ap = layout.action_point[row.activity.id]
            ap_of_ref[self.ref_of[j]] = ap.id if ap else ""
        self.refs_of_ap = {
            ap_id: [r for r, a in ap_of_ref.items() if a == ap_id] for ap_id in self.by_action_point
        }
        self.target_refs: dict[str, list[int]] = {office: [] for office in layout.offices}
        """office -> indicator number of each of its rows with a target, in layout order."""
        for j in layout.with_target:
            self.target_refs[layout.row_office[j]].append(self.ref_of[j])

    def add_offices(self, period: Period, of_office: dict[str, Summary]) -> None:
        """The period's means from the offices' summaries: per indicator over its offices, per
        action point over its rows."""
        sums, counts = [0.0] * len(self.by_ref), [0] * len(self.by_ref)
        for office, summary in of_office.items():
            for r, capped in zip(self.target_refs[office], summary.capped, strict=True):
                if capped >= 0.0:  # capped progress is 0-100; NaN (none) compares false
                    sums[r] += capped
                    counts[r] += 1
        self._means(period, sums, counts)

    def _means(self, period: Period, sums: list[float], counts: list[int]) -> None:
        self.periods.append(period.id)
        for r, (total, n) in enumerate(zip(sums, counts, strict=True)):
            self.by_ref[r].append(total / n if n else None)
        for ap_id, refs in self.refs_of_ap.items():
            n = sum(counts[r] for r in refs)
            self.by_action_point[ap_id].append(sum(sums[r] for r in refs) / n if n else None)

    def of_action_point(self, ap_id: str) -> Spark | None:
        return self._spark(self.by_action_point.get(ap_id))

    def of_ref(self, ref: str) -> Spark | None:
        found = self.ref_index.get(ref)
        return self._spark(self.by_ref[found]) if found is not None else None

    def _spark(self, values: list[float | None] | None) -> Spark | None:
        """None when there is nothing to draw: no values, or a single period."""
        if not values or len(self.periods) < 2 or all(v is None for v in values):
            return None
        return spark(self.periods, values)


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
        for j, (status, was) in enumerate(zip(now.status, before.status, strict=True))
        if status != was and status != NOT_REPORTED
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
