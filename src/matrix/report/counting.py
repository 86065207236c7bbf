"""How the report counts: the state of every plan row in every office as of one period.

- An *activity* is counted once per office it applies to (a country, or the region for
  region-wide activities). Its status is the most pressing of its indicator rows: delayed if any
  row is delayed; completed (or cancelled) when every row is finished; not started when no row
  has started; on track otherwise. A row left blank, or an office that sent nothing, counts as
  *not reported*.
- *Progress* of an indicator row is achieved / target (achieved is the latest value for
  cumulative indicators, the sum over periods for per-period ones). Averages cap each row at 100 %
  so one over-achievement cannot hide another shortfall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from matrix.excel.layout import PlanRow, plan_rows
from matrix.models.plan import ActionPoint, Activity, Plan, Status
from matrix.models.returns import ProgressRow
from matrix.periods import Period, periods_between
from matrix.report.data import ReportData

NOT_REPORTED = "not_reported"
STATUS_ORDER = (
    Status.COMPLETED.value,
    Status.ON_TRACK.value,
    Status.DELAYED.value,
    Status.NOT_STARTED.value,
    Status.CANCELLED.value,
    NOT_REPORTED,
)
FINISHED = {Status.COMPLETED, Status.CANCELLED}

Key = tuple[str, str]
"""(office, activity id): one counted activity."""


@dataclass(frozen=True, slots=True)
class RowState:
    office: str
    row: PlanRow
    reported: ProgressRow | None
    achieved: float | None
    status: str
    """Status value, or NOT_REPORTED for a blank status or no return."""
    target: float | None
    progress: float | None
    """achieved / target, 0-100 and beyond; None without a target or a value."""
    capped: float | None
    """progress within 0-100, for averages."""

    @classmethod
    def of(cls, office: str, row: PlanRow, reported: ProgressRow | None, achieved: float | None) -> RowState:
        status = reported.status.value if reported is not None and reported.status is not None else NOT_REPORTED
        target = row.indicator.target if row.indicator else None
        progress = 100.0 * achieved / target if achieved is not None and target else None
        capped = None if progress is None else min(max(progress, 0.0), 100.0)
        return cls(office, row, reported, achieved, status, target, progress, capped)


class History:
    """The stored rows of every period, indexed by (country, ref) once for all the report's snapshots."""

    def __init__(self, plan: Plan, data: ReportData):
        self.plan = plan
        self.first = Period.parse(plan.reporting.first_period)
        self.rows = {p: {(r.country, r.ref): r for r in d.rows} for p, d in data.periods.items()}
        self._plan_rows: dict[str, list[PlanRow]] = {}

    def office_rows(self, office: str) -> list[PlanRow]:
        """A country's plan rows, or the region-wide ones for the region's code."""
        if office not in self._plan_rows:
            self._plan_rows[office] = plan_rows(self.plan, office if office in self.plan.countries else None)
        return self._plan_rows[office]

    def periods(self, last: Period) -> list[str]:
        """Stored period ids from the plan's first period to `last`, in order."""
        return [p.id for p in periods_between(self.first, last) if p.id in self.rows]


def row_states(history: History, period: Period, offices: list[str]) -> list[RowState]:
    """Every plan row of every office as of `period`, in office then plan order."""
    by_period = {p: history.rows[p] for p in history.periods(period)}
    current = by_period.get(period.id, {})
    states = []
    for office in offices:
        for row in history.office_rows(office):
            key = (office, row.ref)
            reported = current.get(key)
            achieved = None
            if row.indicator is not None and row.indicator.cumulative:
                achieved = reported.actual if reported else None
            elif row.indicator is not None:
                values = [rows[key].actual for rows in by_period.values() if key in rows]
                values = [v for v in values if v is not None]
                achieved = sum(values) if values else None
            states.append(RowState.of(office, row, reported, achieved))
    return states


def activity_status(states: Iterable[RowState]) -> str:
    """The most pressing status among an activity's indicator rows (see the module docstring)."""
    statuses = {s.status for s in states}
    if NOT_REPORTED in statuses:
        return NOT_REPORTED
    found = {Status(s) for s in statuses}
    if Status.DELAYED in found:
        return Status.DELAYED.value
    if found <= FINISHED:
        return (Status.COMPLETED if Status.COMPLETED in found else Status.CANCELLED).value
    if found <= {Status.NOT_STARTED, Status.CANCELLED}:
        return Status.NOT_STARTED.value
    return Status.ON_TRACK.value


def mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def percent(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass(frozen=True)
class Targets:
    with_target: int
    reached: int
    average: float | None
    """Mean capped progress of the rows with a target, 0-100."""


class Snapshot:
    """The offices' rows and activities as of one period, and the figures drawn from them."""

    def __init__(self, plan: Plan, history: History, period: Period, offices: list[str]):
        self.period = period
        self.rows = row_states(history, period, offices)
        grouped: dict[Key, list[RowState]] = defaultdict(list)
        for state in self.rows:
            grouped[(state.office, state.row.activity.id)].append(state)
        self.activities = dict(grouped)
        self.status = {key: activity_status(rows) for key, rows in self.activities.items()}
        framework = plan.resolved_framework
        self.activity: dict[str, Activity] = {a.id: a for _, a in plan.activities()}
        self.action_point: dict[str, ActionPoint] = {
            a.id: framework.action_point(o.action_point) for o, a in plan.activities()
        }
        self._index: dict[tuple[str, ...], list[Key]] = defaultdict(list)
        for key in self.activities:
            activity, ap = self.activity[key[1]], self.action_point[key[1]].id
            for facet in [("office", key[0]), ("ap", ap), ("office+ap", key[0], ap), ("lead", activity.lead or "")]:
                self._index[facet].append(key)
            for partner in activity.partners:
                self._index[("partner", partner)].append(key)

    def keys(
        self, *, office: str | None = None, action_point: ActionPoint | None = None, lead: str | None = None,
        partner: str | None = None,
    ) -> list[Key]:
        """The counted activities (in office, then plan order) of one office, action point, office and
        action point, lead or partner; all of them with no argument."""
        if office is not None and action_point is not None:
            facet: tuple[str, ...] = ("office+ap", office, action_point.id)
        elif office is not None:
            facet = ("office", office)
        elif action_point is not None:
            facet = ("ap", action_point.id)
        elif lead is not None:
            facet = ("lead", lead)
        elif partner is not None:
            facet = ("partner", partner)
        else:
            return list(self.activities)
        return list(self._index.get(facet, []))

    def statuses(self, keys: Iterable[Key]) -> list[str]:
        return [self.status[key] for key in keys]

    def count(self, status: Status, keys: Iterable[Key] | None = None) -> int:
        return sum(1 for key in (self.activities if keys is None else keys) if self.status[key] == status.value)

    def targets(self, keys: Iterable[Key] | None = None) -> Targets:
        rows = self.rows if keys is None else [s for key in keys for s in self.activities[key]]
        with_target = [s for s in rows if s.target]
        reached = sum(1 for s in with_target if s.progress is not None and s.progress >= 100)
        return Targets(len(with_target), reached, mean(s.capped for s in with_target))
