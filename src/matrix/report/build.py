"""Compute every figure of the report from the plan and the collected progress.

Counting rules (the report's footnotes say the same):
- An *activity* is counted once per office it applies to (a country, or the region for
  region-wide activities). Its status is the most pressing of its indicator rows: delayed if any
  row is delayed; completed (or cancelled) when every row is finished; not started when no row
  has started; on track otherwise. A row left blank, or an office that sent nothing, counts as
  *not reported*.
- *Progress* of an indicator row is achieved / target (achieved is the latest value for
  cumulative indicators, the sum over periods for per-period ones). Averages cap each row at 100 %
  so one over-achievement cannot hide another shortfall.
- A *budget* is the activity's whole requirement across its offices; funds secured are what the
  offices reported (one value per office and activity) and are summed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from matrix import __version__
from matrix.countries import country_name
from matrix.excel.layout import PlanRow, plan_rows
from matrix.i18n import RIGHT_TO_LEFT, action_point_title, catalogue, status_label
from matrix.models.plan import Activity, Plan, Status
from matrix.models.returns import ProgressRow
from matrix.periods import Period, due_date, parse_for_plan, periods_between
from matrix.report.context import (
    ActionPointRow,
    ActivityLine,
    ActorRow,
    BarSegment,
    CountrySection,
    Duplicate,
    Funding,
    FundingRow,
    Gaps,
    Headline,
    HeatCell,
    HeatRow,
    QualityWarning,
    ReportContext,
    ReturnsSummary,
    ReturnState,
    StatusBar,
    StatusChange,
    StatusCount,
    TrendChart,
    TrendPoint,
)
from matrix.report.data import ReportData, Submission

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
DUPLICATE_THRESHOLD = 0.75
"""difflib.SequenceMatcher ratio of normalised titles from which two activities by different leads
in the same office are shown as likely duplicates. 0.75 catches rewordings such as "Joint training
of border officials on mixed movements" / "Training of border officials on mixed movements" while
leaving apart activities that merely share a topic word."""
OVER_TARGET = 150.0
"""Progress above this share of the target is flagged as a likely typing mistake."""
MAX_ERRORS_SHOWN = 3


def _label(lang: str, key: str) -> str:
    return catalogue(lang).get(key) or catalogue("en")[key]


def status_text(status: str, lang: str) -> str:
    return _label(lang, "report.status.not_reported") if status == NOT_REPORTED else status_label(Status(status), lang)


# --- the state of every plan row in every office ------------------------------------------------


@dataclass(frozen=True)
class RowState:
    office: str
    row: PlanRow
    reported: ProgressRow | None
    achieved: float | None

    @property
    def status(self) -> str:
        if self.reported is None or self.reported.status is None:
            return NOT_REPORTED
        return self.reported.status.value

    @property
    def target(self) -> float | None:
        return self.row.indicator.target if self.row.indicator else None

    @property
    def progress(self) -> float | None:
        if self.achieved is None or not self.target:
            return None
        return 100.0 * self.achieved / self.target

    @property
    def capped(self) -> float | None:
        return None if self.progress is None else min(max(self.progress, 0.0), 100.0)


def offices(plan: Plan) -> list[str]:
    """Every office expected to report: the plan's countries, then the region for region-wide rows."""
    out = list(plan.countries)
    if plan.region and plan_rows(plan, None):
        out.append(plan.region.code)
    return out


def _office_rows(plan: Plan, office: str) -> list[PlanRow]:
    return plan_rows(plan, None if office not in plan.countries else office)


def row_states(plan: Plan, data: ReportData, period: Period, office_list: list[str]) -> list[RowState]:
    """Every plan row of every office as of `period`."""
    first = Period.parse(plan.reporting.first_period)
    history = [p.id for p in periods_between(first, period) if p.id in data.periods]
    by_period = {
        p: {(r.country, r.ref): r for r in data.periods[p].rows} for p in history
    }
    current = by_period.get(period.id, {})
    states = []
    for office in office_list:
        for row in _office_rows(plan, office):
            key = (office, row.ref)
            reported = current.get(key)
            achieved = None
            if row.indicator is not None:
                if row.indicator.cumulative:
                    achieved = reported.actual if reported else None
                else:
                    values = [by_period[p][key].actual for p in history if key in by_period[p]]
                    values = [v for v in values if v is not None]
                    achieved = sum(values) if values else None
            states.append(RowState(office, row, reported, achieved))
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


def activities(states: list[RowState]) -> dict[tuple[str, str], list[RowState]]:
    """(office, activity id) -> its rows, in plan order."""
    grouped: dict[tuple[str, str], list[RowState]] = defaultdict(list)
    for state in states:
        grouped[(state.office, state.row.activity.id)].append(state)
    return grouped


def _percent(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def status_bar(statuses: list[str], lang: str, rtl: bool) -> StatusBar:
    total = len(statuses)
    counts = [
        StatusCount(status=s, label=status_text(s, lang), count=statuses.count(s), percent=_percent(statuses.count(s), total))
        for s in STATUS_ORDER
    ]
    segments, x = [], 0.0
    for c in counts:
        if c.count:
            width = 100.0 * c.count / total
            segments.append(BarSegment(status=c.status, x=round(100.0 - x - width if rtl else x, 3), width=round(width, 3)))
            x += width
    description = "; ".join(f"{c.label}: {c.count}" for c in counts if c.count) or "—"
    return StatusBar(counts=counts, segments=segments, total=total, description=description)


def _targets(states: list[RowState]) -> tuple[int, int, float | None]:
    with_target = [s for s in states if s.target]
    reached = sum(1 for s in with_target if s.progress is not None and s.progress >= 100)
    return len(with_target), reached, _mean(s.capped for s in with_target)


# --- returns ------------------------------------------------------------------------------------


def return_states(plan: Plan, data: ReportData, period: Period, office_list: list[str], lang: str) -> list[ReturnState]:
    due = due_date(plan.reporting, period)
    out = []
    for office in office_list:
        subs = sorted(
            (s for s in data.submissions if s.office == office and s.period == period.id), key=lambda s: s.received_at
        )
        accepted = [s for s in subs if s.accepted]
        counted: Submission | None = accepted[0] if accepted else (subs[-1] if subs else None)
        errors: list[str] = []
        more = 0
        days_late = None
        if counted is None:
            state = "missing"
        elif not accepted:
            state = "rejected"
            problems = [i for i in counted.issues if i.is_error]
            errors = [f"{i.where}: {i.message}" if i.where else i.message for i in problems[:MAX_ERRORS_SHOWN]]
            more = max(0, len(problems) - MAX_ERRORS_SHOWN)
        elif counted.received_at.date() > due:
            state = "late"
            days_late = (counted.received_at.date() - due).days
        else:
            state = "on_time"
        out.append(
            ReturnState(
                office=office, name=office_name(plan, office, lang), state=state,
                state_label=_label(lang, f"report.return.{state}"),
                received_at=counted.received_at if counted else None, file=counted.file if counted else "",
                days_late=days_late, errors=errors, more_errors=more,
            )
        )
    return out


def office_name(plan: Plan, office: str, lang: str) -> str:
    if plan.region and office == plan.region.code and office not in plan.countries:
        return _label(lang, "report.region_wide").format(region=plan.region.name)
    return country_name(office, lang)


# --- duplicates ---------------------------------------------------------------------------------


def normalise_title(title: str) -> str:
    """Case, accents' composed forms, punctuation and spacing do not make activities different."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise_title(a), normalise_title(b)).ratio()


def likely_duplicates(plan: Plan, data: ReportData, period: Period, office_list: list[str], lang: str) -> list[Duplicate]:
    """Similar activities by different lead actors in the same office: plan activities and the
    ones offices added on the New activities sheet."""
    proposed = data.periods[period.id].proposed if period.id in data.periods else {}
    found = []
    for office in office_list:
        items: list[tuple[str, str, str]] = []  # (shown as, title, lead)
        seen = set()
        for row in _office_rows(plan, office):
            if row.activity.id not in seen:
                seen.add(row.activity.id)
                items.append((f"{row.activity.id} {row.activity.title}", row.activity.title, row.activity.lead or ""))
        items += [(p.title, p.title, p.lead) for p in proposed.get(office, [])]
        for i, (shown_a, title_a, lead_a) in enumerate(items):
            for shown_b, title_b, lead_b in items[i + 1 :]:
                if not lead_a or not lead_b or lead_a.strip().casefold() == lead_b.strip().casefold():
                    continue
                ratio = similarity(title_a, title_b)
                if ratio >= DUPLICATE_THRESHOLD:
                    found.append(
                        Duplicate(
                            office=office, office_name=office_name(plan, office, lang), first=shown_a,
                            first_lead=lead_a, second=shown_b, second_lead=lead_b, similarity=100 * ratio,
                        )
                    )
    return found


# --- funding ------------------------------------------------------------------------------------


def _funding(requirement: float, secured: float) -> Funding:
    return Funding(
        requirement=requirement, secured=secured, gap=max(requirement - secured, 0.0),
        funded_percent=_percent(secured, requirement),
    )


def secured_by_activity(states: list[RowState]) -> dict[str, float]:
    """Activity id -> funds secured, one value per office (the largest of its rows), summed."""
    per_office: dict[tuple[str, str], float] = {}
    for s in states:
        if s.reported and s.reported.funds_secured is not None:
            key = (s.office, s.row.activity.id)
            per_office[key] = max(per_office.get(key, 0.0), s.reported.funds_secured)
    out: dict[str, float] = defaultdict(float)
    for (_, activity_id), value in per_office.items():
        out[activity_id] += value
    return out


def _funding_rows(groups: dict[str, tuple[str, list[Activity]]], secured: dict[str, float]) -> list[FundingRow]:
    rows = []
    for key, (label, acts) in groups.items():
        budgeted = [a for a in acts if a.budget is not None]
        if not budgeted:
            continue
        funding = _funding(sum(a.budget or 0 for a in budgeted), sum(secured.get(a.id, 0.0) for a in budgeted))
        rows.append(
            FundingRow(key=key, label=label, funding=funding, bar_secured=min(funding.funded_percent or 0.0, 100.0))
        )
    return rows


# --- the context --------------------------------------------------------------------------------


def build_context(
    plan: Plan,
    data: ReportData,
    period: str,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime,
) -> ReportContext:
    """The report for `period` (a period id of the plan's frequency), for the whole plan or one country.

    Raises ValueError for a period or country the plan does not have (the CLI turns it into one line).
    """
    current = parse_for_plan(plan.reporting, period)
    rtl = lang in RIGHT_TO_LEFT
    all_offices = offices(plan)
    if country is not None and country not in all_offices:
        raise ValueError(f"'{country}' is not an office of this plan; choose one of {', '.join(all_offices)}")
    office_list = [country] if country else all_offices
    framework = plan.resolved_framework
    first = Period.parse(plan.reporting.first_period)
    previous = current.previous() if current > first and current.previous().id in data.periods else None

    states = row_states(plan, data, current, office_list)
    before = row_states(plan, data, previous, office_list) if previous else []
    acts = activities(states)
    acts_before = activities(before)
    act_status = {key: activity_status(rows) for key, rows in acts.items()}
    ap_of = {a.id: framework.action_point(o.action_point) for o, a in plan.activities()}
    ap_label = {
        ap.id: f"{ap.number}. {action_point_title(framework.id, ap.id, ap.title, lang)}" for ap in framework.action_points
    }

    def bar(keys: Iterable[tuple[str, str]]) -> StatusBar:
        return status_bar([act_status[k] for k in keys], lang, rtl)

    # headline
    n_target, n_reached, avg = _targets(states)
    _, _, avg_before = _targets(before)
    completed = sum(1 for s in act_status.values() if s == Status.COMPLETED.value)
    completed_before = sum(1 for rows in acts_before.values() if activity_status(rows) == Status.COMPLETED.value)
    returns = return_states(plan, data, current, office_list, lang)
    secured = secured_by_activity(states)
    plan_acts = [a for _, a in plan.activities() if any(key[1] == a.id for key in acts)]
    budgeted = [a for a in plan_acts if a.budget is not None]
    counts = {state: sum(1 for r in returns if r.state == state) for state in ("on_time", "late", "rejected", "missing")}
    headline = Headline(
        activities=len(acts),
        status=bar(acts),
        indicators_with_target=n_target,
        targets_reached=n_reached,
        targets_reached_percent=_percent(n_reached, n_target),
        average_progress=avg,
        average_progress_change=avg - avg_before if previous and avg is not None and avg_before is not None else None,
        completed_change=completed - completed_before if previous else None,
        returns=ReturnsSummary(
            expected=len(returns), received=counts["on_time"] + counts["late"], late=counts["late"],
            rejected=counts["rejected"], missing=counts["missing"],
            received_percent=_percent(counts["on_time"] + counts["late"], len(returns)),
        ),
        funding=_funding(sum(a.budget or 0 for a in budgeted), sum(secured.get(a.id, 0.0) for a in budgeted))
        if budgeted else None,
    )

    # per action point
    ap_rows = []
    for ap in framework.action_points:
        keys = [k for k in acts if ap_of[k[1]] == ap]
        ap_states = [s for k in keys for s in acts[k]]
        n_t, n_r, ap_avg = _targets(ap_states)
        _, _, ap_avg_before = _targets([s for s in before if ap_of[s.row.activity.id] == ap])
        ap_rows.append(
            ActionPointRow(
                id=ap.id, number=ap.number, title=ap_label[ap.id].split(". ", 1)[1], activities=len(keys),
                status=bar(keys), average_progress=ap_avg,
                progress_change=ap_avg - ap_avg_before if ap_avg is not None and ap_avg_before is not None else None,
                targets_reached=n_r, indicators_with_target=n_t,
            )
        )

    # heat map
    heat_rows = []
    for office in office_list:
        cells = []
        for ap in framework.action_points:
            keys = [k for k in acts if k[0] == office and ap_of[k[1]] == ap]
            cell_states = [s for k in keys for s in acts[k]]
            value = _mean(s.capped for s in cell_states if s.target)
            if not keys:
                level = "none"
            elif value is None:
                level = "unreported"
            else:
                level = "p100" if value >= 100 else f"p{int(value // 25) * 25}"
            delayed = sum(1 for k in keys if act_status[k] == Status.DELAYED.value)
            cells.append(HeatCell(value=value, level=level, activities=len(keys), delayed=delayed))
        heat_rows.append(HeatRow(office=office, name=office_name(plan, office, lang), cells=cells))

    # lines (one per row state)
    def line(s: RowState) -> ActivityLine:
        reported = s.reported
        activity = s.row.activity
        overdue = (
            activity.end is not None and activity.end < current.end
            and s.status not in (Status.COMPLETED.value, Status.CANCELLED.value)
        )
        return ActivityLine(
            office=s.office, office_name=office_name(plan, s.office, lang), ref=s.row.ref, activity_id=activity.id,
            activity=activity.title, action_point=ap_label[ap_of[activity.id].id], lead=activity.lead or "",
            partners=", ".join(activity.partners), indicator=s.row.indicator.name if s.row.indicator else "",
            unit=(s.row.indicator.unit or "") if s.row.indicator else "", target=s.target, achieved=s.achieved,
            progress=s.progress, progress_bar=s.capped or 0.0, status=s.status,
            status_label=status_text(s.status, lang), end=activity.end, overdue=overdue,
            comments=reported.comments if reported else "", next_steps=reported.next_steps if reported else "",
            support_needed=reported.support_needed if reported else "",
        )

    lines = [line(s) for s in states]
    returns_by_office = {r.office: r for r in returns}
    sections = []
    for office in office_list:
        keys = [k for k in acts if k[0] == office]
        office_states = [s for k in keys for s in acts[k]]
        sections.append(
            CountrySection(
                office=office, name=office_name(plan, office, lang), anchor=f"office-{office.lower()}",
                return_state=returns_by_office[office], status=bar(keys),
                average_progress=_targets(office_states)[2], lines=[ln for ln in lines if ln.office == office],
            )
        )

    # actors
    actor_rows = []
    type_labels = catalogue(lang)
    for actor in plan.actors:
        led = [k for k in acts if plan_activity(plan, k[1]).lead == actor.id]
        partner = [k for k in acts if actor.id in plan_activity(plan, k[1]).partners]
        led_states = [s for k in led for s in acts[k]]
        actor_rows.append(
            ActorRow(
                id=actor.id, name=actor.name,
                type_label=type_labels.get(f"actor_type.{actor.type.value}", actor.type.value.replace("_", " ")),
                leads=len(led), partners_in=len(partner), status=bar(led),
                average_progress=_targets(led_states)[2],
                delayed=sum(1 for k in led if act_status[k] == Status.DELAYED.value),
                offices=sorted({k[0] for k in led + partner}, key=office_list.index),
            )
        )
    actor_rows.sort(key=lambda a: (-(a.leads + a.partners_in), a.id))

    # funding
    by_ap: dict[str, tuple[str, list[Activity]]] = {ap.id: (ap_label[ap.id], []) for ap in framework.action_points}
    by_actor: dict[str, tuple[str, list[Activity]]] = {a.id: (a.name, []) for a in plan.actors}
    for activity in plan_acts:
        by_ap[ap_of[activity.id].id][1].append(activity)
        if activity.lead in by_actor:
            by_actor[activity.lead][1].append(activity)

    # changes since the previous period
    changes = []
    if previous:
        old = {(s.office, s.row.ref): s.status for s in before}
        for s in states:
            was = old.get((s.office, s.row.ref))
            if was is not None and was != s.status and s.status != NOT_REPORTED:
                changes.append(
                    StatusChange(
                        office_name=office_name(plan, s.office, lang), ref=s.row.ref, activity=s.row.activity.title,
                        before=status_text(was, lang), after=status_text(s.status, lang), after_status=s.status,
                    )
                )

    return ReportContext(
        lang=lang,
        direction="rtl" if rtl else "ltr",
        labels=report_labels(lang),
        plan_id=plan.id,
        plan_title=plan.title,
        plan_hash=plan.content_hash()[:12],
        framework_title=framework.title,
        period=current.id,
        period_start=current.start,
        period_end=current.end,
        due=due_date(plan.reporting, current),
        previous_period=previous.id if previous else None,
        country=country,
        country_name=office_name(plan, country, lang) if country else None,
        currency=plan.currency,
        generated_at=generated_at,
        tool_version=__version__,
        headline=headline,
        action_points=ap_rows,
        heat_columns=[ap.id for ap in framework.action_points],
        heat_rows=heat_rows,
        countries=sections,
        actors=actor_rows,
        delayed=[ln for ln in lines if ln.status == Status.DELAYED.value or ln.overdue],
        gaps=gaps(plan, office_list, acts, ap_of, ap_label, lang),
        duplicates=likely_duplicates(plan, data, current, office_list, lang),
        duplicate_threshold=100 * DUPLICATE_THRESHOLD,
        funding_by_action_point=_funding_rows(by_ap, secured),
        funding_by_actor=_funding_rows(by_actor, secured),
        changes=changes,
        trend=trend(plan, data, current, office_list),
        returns=returns,
        quality=quality(plan, data, current, states, before, office_list, lang),
    )


def plan_activity(plan: Plan, activity_id: str) -> Activity:
    return next(a for _, a in plan.activities() if a.id == activity_id)


def report_labels(lang: str) -> dict[str, str]:
    """The catalogue keys templates use: report.* and the status labels."""
    english = catalogue("en")
    own = catalogue(lang)
    return {k: own.get(k, v) for k, v in english.items() if k.startswith(("report.", "status."))}


def gaps(plan, office_list, acts, ap_of, ap_label, lang) -> Gaps:
    framework = plan.resolved_framework
    used_aps = {ap_of[a.id].id for _, a in plan.activities() if ap_of[a.id] is not None}
    per_ap_missing = []
    for ap in framework.action_points:
        if ap.id not in used_aps:
            continue
        missing = [o for o in office_list if not any(k[0] == o and ap_of[k[1]] == ap for k in acts)]
        if missing:
            per_ap_missing.append(f"{ap_label[ap.id]}: {', '.join(office_name(plan, o, lang) for o in missing)}")
    all_acts = [a for _, a in plan.activities()]
    return Gaps(
        action_points_without_activity=[ap_label[ap.id] for ap in framework.action_points if ap.id not in used_aps],
        offices_without_activity=[
            office_name(plan, o, lang) for o in office_list if not any(k[0] == o for k in acts)
        ],
        action_point_office_gaps=per_ap_missing,
        activities_without_lead=[f"{a.id} {a.title}" for a in all_acts if not a.lead],
        activities_without_indicator=[f"{a.id} {a.title}" for a in all_acts if not a.indicators],
        indicators_without_target=[
            f"{a.id}: {i.name}" for a in all_acts for i in a.indicators if i.target is None
        ],
    )


TREND_WIDTH, TREND_HEIGHT = 640, 220
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 48, 596, 16, 184


def trend(plan: Plan, data: ReportData, current: Period, office_list: list[str]) -> TrendChart:
    """Average progress and completed share over every period from the first to `current`."""
    first = Period.parse(plan.reporting.first_period)
    history = [p for p in periods_between(first, current) if p.id in data.periods or p == current]
    span = max(len(history) - 1, 1)

    def y(value: float | None) -> float | None:
        return None if value is None else TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * min(value, 100.0) / 100.0

    points = []
    for i, p in enumerate(history):
        states = row_states(plan, data, p, office_list)
        statuses = [activity_status(rows) for rows in activities(states).values()]
        received = [r for r in data.submissions if r.period == p.id and r.accepted and r.office in office_list]
        avg = _targets(states)[2]
        done = _percent(statuses.count(Status.COMPLETED.value), len(statuses))
        x = TREND_LEFT + (TREND_RIGHT - TREND_LEFT) * (i / span if len(history) > 1 else 0.5)
        points.append(
            TrendPoint(
                period=p.id, average_progress=avg, completed_percent=done,
                delayed=statuses.count(Status.DELAYED.value), returns_received=len({r.office for r in received}),
                x=round(x, 1), y_progress=y(avg), y_completed=y(done),
            )
        )

    def path(attr: str) -> str:
        return " ".join(f"{p.x:.1f},{getattr(p, attr):.1f}" for p in points if getattr(p, attr) is not None)

    return TrendChart(
        points=points, progress_path=path("y_progress"), completed_path=path("y_completed"),
        width=TREND_WIDTH, height=TREND_HEIGHT,
        gridlines=[(v, y(v) or 0.0) for v in (0, 25, 50, 75, 100)],
        plot_left=TREND_LEFT, plot_right=TREND_RIGHT,
    )


def quality(plan, data, current, states, before, office_list, lang) -> list[QualityWarning]:
    """Warnings from validation of the accepted returns, then the report's own plausibility checks."""
    out = []
    for sub in sorted(data.submissions, key=lambda s: (office_list.index(s.office) if s.office in office_list else 0, s.received_at)):
        if sub.period != current.id or not sub.accepted or sub.office not in office_list:
            continue
        for issue in sub.issues:
            out.append(
                QualityWarning(office_name=office_name(plan, sub.office, lang), where=issue.where, code=issue.code, message=issue.message)
            )
    old = {(s.office, s.row.ref): s for s in before}

    def warn(s: RowState, check: str, **params: object) -> None:
        out.append(
            QualityWarning(
                office_name=office_name(plan, s.office, lang), where=s.row.ref, code=check,
                message=_label(lang, f"report.check.{check}").format(**params),
            )
        )

    for s in states:
        if s.reported is None:
            continue
        if s.reported.status is None:
            warn(s, "no-status")
        if s.status in (Status.DELAYED.value, Status.CANCELLED.value) and not s.reported.comments.strip():
            warn(s, "no-explanation", status=status_text(s.status, lang))
        if s.status == Status.COMPLETED.value and s.progress is not None and s.progress < 100:
            warn(s, "completed-below-target", progress=f"{s.progress:.0f}")
        if s.progress is not None and s.progress > OVER_TARGET:
            warn(s, "far-above-target", progress=f"{s.progress:.0f}")
        was = old.get((s.office, s.row.ref))
        if (
            was is not None and s.row.indicator is not None and s.row.indicator.cumulative
            and was.achieved is not None and s.achieved is not None and s.achieved < was.achieved
        ):
            warn(s, "total-decreased", before=f"{was.achieved:g}", now=f"{s.achieved:g}")
    return out
