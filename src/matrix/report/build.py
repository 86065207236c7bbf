"""Compute every figure of the report from the plan and the collected progress.

How activities, statuses and progress are counted is in `matrix.report.counting`. Funding: a
budget is the activity's whole requirement across its offices; funds secured are what the offices
reported for the period (one value per office and activity), summed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from matrix import __version__
from matrix.models.plan import Activity, Plan, Status
from matrix.periods import Period, due_date, parse_for_plan, periods_between
from matrix.report.context import (
    ActionPointRow,
    ActivityLine,
    ActorRow,
    BarSegment,
    CountrySection,
    Funding,
    FundingRow,
    Headline,
    HeatCell,
    HeatRow,
    Highlight,
    ReportContext,
    ReturnsSummary,
    ReturnState,
    StatusBar,
    StatusChange,
    StatusCount,
    TrendChart,
    TrendPoint,
)
from matrix.report.counting import STATUS_ORDER, History, Key, RowState, Snapshot, percent
from matrix.report.data import ReportData
from matrix.report.findings import DUPLICATE_THRESHOLD, gaps, likely_duplicates, place, quality
from matrix.report.words import Words
from matrix.status import expected_offices

MAX_ERRORS_SHOWN = 3
MAX_DUPLICATES_SHOWN = 100
"""A plan with hundreds of look-alike titles would otherwise bury the report in pairs."""
MAX_CHANGES_SHOWN = 200
"""Status changes listed; the count says how many more there are."""
TREND_WIDTH, TREND_HEIGHT = 640, 220
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 48, 596, 16, 184


def build_context(
    plan: Plan,
    data: ReportData,
    period: str,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime,
) -> ReportContext:
    """The report for `period` (a period id of the plan's frequency), for the whole plan or one office.

    Raises ValueError for a period or office the plan does not have (the CLI shows it on one line).
    """
    current = parse_for_plan(plan.reporting, period)
    all_offices = expected_offices(plan)
    country = country.strip().upper() if country else None
    if country is not None and country not in all_offices:
        raise ValueError(f"'{country}' is not an office of this plan; choose one of {', '.join(all_offices)}")
    offices = [country] if country else all_offices
    words = Words(plan, lang)
    first = Period.parse(plan.reporting.first_period)
    previous = current.previous() if current > first and current.previous().id in data.periods else None
    history = History(plan, data)
    now = Snapshot(plan, history, current, offices)
    before = Snapshot(plan, history, previous, offices) if previous else None
    returns = return_states(plan, data, current, offices, words)
    lines = [activity_line(s, now, current, words) for s in now.rows]
    duplicates, duplicates_found = likely_duplicates(history, data, current, offices, words, MAX_DUPLICATES_SHOWN)
    delayed = [ln for ln in lines if ln.status == Status.DELAYED.value or ln.overdue]
    changes = changed_rows(now, before)
    top = headline(now, before, returns, words)
    found_gaps = gaps(plan, now, offices, words)
    by_action_point = funding_rows(
        {ap.id: (words.action_point(ap), now.keys(action_point=ap)) for ap in words.framework.action_points}, now
    )
    return ReportContext(
        lang=lang,
        direction="rtl" if words.rtl else "ltr",
        labels=words.labels(),
        plan_id=plan.id,
        plan_title=plan.title,
        plan_hash=plan.content_hash()[:12],
        framework_title=words.framework.title,
        period=current.id,
        period_start=current.start,
        period_end=current.end,
        due=due_date(plan.reporting, current),
        previous_period=previous.id if previous else None,
        country_name=words.office(country) if country else None,
        currency=plan.currency,
        generated_at=generated_at,
        tool_version=__version__,
        headline=top,
        highlights=highlights(top, previous, delayed, returns, found_gaps.action_points_without_activity,
                              by_action_point, duplicates_found, plan.currency, words),
        action_points=action_point_rows(now, before, words),
        heat_rows=heat_map(now, offices, words),
        countries=country_sections(now, offices, returns, lines, words),
        actors=actor_rows(plan, now, offices, words),
        delayed=delayed,
        gaps=found_gaps,
        duplicates=duplicates,
        duplicates_more=duplicates_found - len(duplicates),
        duplicate_threshold=100 * DUPLICATE_THRESHOLD,
        funding_by_action_point=by_action_point,
        funding_by_actor=funding_rows({a.id: (a.name, now.keys(lead=a.id)) for a in plan.actors}, now),
        changes=[status_change(s, was, words) for s, was in changes[:MAX_CHANGES_SHOWN]],
        changes_more=max(0, len(changes) - MAX_CHANGES_SHOWN),
        trend=trend(plan, data, history, current, offices),
        returns=returns,
        quality=quality(data, current, offices, words),
    )


def status_bar(statuses: list[str], words: Words) -> StatusBar:
    """Counts per status and a stacked bar, filled from the right in a right-to-left report."""
    total = len(statuses)
    counts = [
        StatusCount(status=s, label=words.status(s), count=statuses.count(s), percent=percent(statuses.count(s), total))
        for s in STATUS_ORDER
    ]
    segments, x = [], 0.0
    for c in counts:
        if c.count:
            width = 100.0 * c.count / total
            left = 100.0 - x - width if words.rtl else x
            segments.append(BarSegment(status=c.status, x=round(left, 3), width=round(width, 3)))
            x += width
    description = "; ".join(f"{c.label}: {c.count}" for c in counts if c.count) or "–"
    return StatusBar(counts=counts, segments=segments, total=total, description=description)


def _change(now: float | None, before: float | None) -> float | None:
    return now - before if now is not None and before is not None else None


def headline(now: Snapshot, before: Snapshot | None, returns: list[ReturnState], words: Words) -> Headline:
    targets = now.targets()
    states = [r.state for r in returns]
    received = states.count("on_time") + states.count("late")
    return Headline(
        activities=len(now.activities),
        status=status_bar(now.statuses(now.activities), words),
        indicators_with_target=targets.with_target,
        targets_reached=targets.reached,
        average_progress=targets.average,
        average_progress_change=_change(targets.average, before.targets().average) if before else None,
        completed_change=now.count(Status.COMPLETED) - before.count(Status.COMPLETED) if before else None,
        returns=ReturnsSummary(
            expected=len(returns), received=received, late=states.count("late"), rejected=states.count("rejected"),
            missing=states.count("missing"),
        ),
        funding=funding(_budgeted(now, now.activities), now),
    )


def highlights(
    top: Headline, previous: Period | None, delayed: list[ActivityLine], returns: list[ReturnState],
    empty_action_points: list[str], funding: list[FundingRow], duplicates: int, currency: str, words: Words,
) -> list[Highlight]:
    """What is late, what is missing, where the money and the plan fall short: in sentences."""
    out = []
    late = len({(ln.office, ln.activity_id) for ln in delayed})
    out.append(Highlight(
        text=words.sentence("report.highlight.delayed", n=late) if late else words.label("report.highlight.no_delays"),
        anchor="delayed",
    ))
    if top.completed_change and top.completed_change > 0 and previous:
        out.append(Highlight(text=words.sentence("report.highlight.completed", n=top.completed_change,
                                                 period=previous.id), anchor="trends"))
    unusable = [r.name for r in returns if r.state in ("rejected", "missing")]
    out.append(Highlight(
        text=words.sentence("report.highlight.returns", offices=", ".join(unusable)) if unusable
        else words.label("report.highlight.all_returns"),
        anchor="returns",
    ))
    if funding and (widest := max(funding, key=lambda row: row.funding.gap)).funding.gap > 0:
        out.append(Highlight(text=words.sentence("report.highlight.funding_gap", label=widest.label,
                                                 gap=f"{widest.funding.gap:,.0f}", currency=currency), anchor="funding"))
    if empty_action_points:
        out.append(Highlight(text=words.sentence("report.highlight.plan_gaps", n=len(empty_action_points)),
                             anchor="gaps"))
    if duplicates:
        out.append(Highlight(text=words.sentence("report.highlight.duplicates", n=duplicates), anchor="duplicates"))
    return out


def action_point_rows(now: Snapshot, before: Snapshot | None, words: Words) -> list[ActionPointRow]:
    rows = []
    for ap in words.framework.action_points:
        keys = now.keys(action_point=ap)
        targets = now.targets(keys)
        earlier = before.targets(before.keys(action_point=ap)).average if before else None
        rows.append(ActionPointRow(
            id=ap.id, number=ap.number, title=words.action_point_title(ap), activities=len(keys),
            status=status_bar(now.statuses(keys), words), average_progress=targets.average,
            progress_change=_change(targets.average, earlier), targets_reached=targets.reached,
            indicators_with_target=targets.with_target,
        ))
    return rows


def heat_level(activities: int, value: float | None) -> str:
    if not activities:
        return "none"
    if value is None:
        return "unreported"
    return "p100" if value >= 100 else f"p{int(value // 25) * 25}"


def heat_map(now: Snapshot, offices: list[str], words: Words) -> list[HeatRow]:
    rows = []
    for office in offices:
        cells = []
        for ap in words.framework.action_points:
            keys = now.keys(office=office, action_point=ap)
            value = now.targets(keys).average
            cells.append(HeatCell(
                value=value, level=heat_level(len(keys), value), activities=len(keys),
                delayed=now.count(Status.DELAYED, keys),
            ))
        rows.append(HeatRow(office=office, name=words.office(office), cells=cells))
    return rows


def activity_line(s: RowState, now: Snapshot, period: Period, words: Words) -> ActivityLine:
    activity, indicator, reported = s.row.activity, s.row.indicator, s.reported
    finished = s.status in (Status.COMPLETED.value, Status.CANCELLED.value)
    return ActivityLine(
        office=s.office, office_name=words.office(s.office), ref=s.row.ref, activity_id=activity.id,
        activity=activity.title, action_point=words.action_point(now.action_point[activity.id]),
        lead=activity.lead or "", partners=", ".join(activity.partners), indicator=indicator.name if indicator else "",
        unit=(indicator.unit or "") if indicator else "", target=s.target, achieved=s.achieved, progress=s.progress,
        progress_bar=s.capped or 0.0, status=s.status, status_label=words.status(s.status), end=activity.end,
        overdue=activity.end is not None and activity.end < period.end and not finished,
        comments=reported.comments if reported else "", next_steps=reported.next_steps if reported else "",
        support_needed=reported.support_needed if reported else "",
    )


def country_sections(
    now: Snapshot, offices: list[str], returns: list[ReturnState], lines: list[ActivityLine], words: Words
) -> list[CountrySection]:
    by_office = {r.office: r for r in returns}
    lines_of: dict[str, list[ActivityLine]] = defaultdict(list)
    for line in lines:
        lines_of[line.office].append(line)
    return [
        CountrySection(
            office=office, name=words.office(office), anchor=f"office-{office.lower()}",
            return_state=by_office[office], status=status_bar(now.statuses(now.keys(office=office)), words),
            average_progress=now.targets(now.keys(office=office)).average,
            lines=lines_of[office],
        )
        for office in offices
    ]


def actor_rows(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> list[ActorRow]:
    """Actors with most to do first: what each leads and supports, and how what it leads is going."""
    rows = []
    for actor in plan.actors:
        led, partner = now.keys(lead=actor.id), now.keys(partner=actor.id)
        rows.append(ActorRow(
            id=actor.id, name=actor.name, type_label=words.actor_type(actor.type.value), leads=len(led),
            partners_in=len(partner), status=status_bar(now.statuses(led), words),
            average_progress=now.targets(led).average, delayed=now.count(Status.DELAYED, led),
            offices=sorted({key[0] for key in led + partner}, key=offices.index),
        ))
    return sorted(rows, key=lambda a: (-(a.leads + a.partners_in), a.id))


def return_states(plan: Plan, data: ReportData, period: Period, offices: list[str], words: Words) -> list[ReturnState]:
    """Each office's return, as `matrix status` sees it: on time or late (its first accepted file
    counts), rejected (only rejected files so far: the last one's errors are shown) or missing. An
    office that sent nothing itself counts as received when a regional return reported its rows."""
    due = due_date(plan.reporting, period)
    files = sorted((s for s in data.submissions if s.period == period.id), key=lambda s: s.received_at)
    out = []
    for office in offices:
        sent = [s for s in files if s.office == office]
        accepted = [s for s in sent if s.accepted]
        via = None
        if not accepted:
            covering = [s for s in files if s.accepted and not s.superseded and s.office != office
                        and office in s.countries]
            if covering:
                accepted, via = covering, covering[-1].office
        shown = accepted[0] if accepted else (sent[-1] if sent else None)
        errors = [i for i in shown.issues if i.is_error] if shown and not accepted else []
        if shown is None:
            state = "missing"
        elif not accepted:
            state = "rejected"
        else:
            state = "late" if shown.received_at.date() > due else "on_time"
        out.append(ReturnState(
            office=office, name=words.office(office), state=state, state_label=words.label(f"report.return.{state}"),
            received_at=shown.received_at if shown else None, file=shown.file if shown else "",
            via=words.office(via) if via else None,
            days_late=(shown.received_at.date() - due).days if state == "late" else None,
            errors=[f"{place(i)}: {i.message}" if place(i) else i.message for i in errors[:MAX_ERRORS_SHOWN]],
            more_errors=max(0, len(errors) - MAX_ERRORS_SHOWN),
        ))
    return out


def _budgeted(now: Snapshot, keys: Iterable[Key]) -> list[Activity]:
    """The budgeted plan activities among `keys`, each once."""
    ids = dict.fromkeys(key[1] for key in keys)
    return [now.activity[i] for i in ids if now.activity[i].budget is not None]


def _secured(now: Snapshot) -> dict[str, float]:
    """Activity id -> funds secured: per office the largest value of its rows, summed over offices."""
    per_office: dict[Key, float] = {}
    for s in now.rows:
        if s.reported and s.reported.funds_secured is not None:
            key = (s.office, s.row.activity.id)
            per_office[key] = max(per_office.get(key, 0.0), s.reported.funds_secured)
    out: dict[str, float] = defaultdict(float)
    for (_, activity_id), value in per_office.items():
        out[activity_id] += value
    return out


def funding(activities: list[Activity], now: Snapshot) -> Funding | None:
    if not activities:
        return None
    secured = _secured(now)
    requirement = sum(a.budget or 0.0 for a in activities)
    got = sum(secured.get(a.id, 0.0) for a in activities)
    return Funding(requirement=requirement, secured=got, gap=max(requirement - got, 0.0),
                   funded_percent=percent(got, requirement))


def funding_rows(groups: dict[str, tuple[str, list[Key]]], now: Snapshot) -> list[FundingRow]:
    """One row per group (action point or lead actor) that has budgeted activities."""
    rows = []
    for key, (label, keys) in groups.items():
        found = funding(_budgeted(now, keys), now)
        if found is not None:
            rows.append(FundingRow(key=key, label=label, funding=found,
                                   bar_secured=min(found.funded_percent or 0.0, 100.0)))
    return rows


def changed_rows(now: Snapshot, before: Snapshot | None) -> list[tuple[RowState, str]]:
    """Rows reported now whose status differs from the previous period's, with the old status."""
    if before is None:
        return []
    old = {(s.office, s.row.ref): s.status for s in before.rows}
    return [
        (s, was)
        for s in now.rows
        if s.reported is not None and s.reported.status is not None
        and (was := old.get((s.office, s.row.ref))) is not None and was != s.status
    ]


def status_change(s: RowState, was: str, words: Words) -> StatusChange:
    return StatusChange(
        office_name=words.office(s.office), ref=s.row.ref, activity=s.row.activity.title,
        before=words.status(was), after=words.status(s.status), after_status=s.status,
    )


def trend(plan: Plan, data: ReportData, history: History, current: Period, offices: list[str]) -> TrendChart:
    """Average progress and completed share over every stored period from the first to `current`."""
    shown = [p for p in periods_between(history.first, current) if p.id in data.periods or p == current]
    span = max(len(shown) - 1, 1)

    def y(value: float | None) -> float | None:
        return None if value is None else TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * min(value, 100.0) / 100.0

    points = []
    for i, p in enumerate(shown):
        snap = Snapshot(plan, history, p, offices)
        average = snap.targets().average
        done = percent(snap.count(Status.COMPLETED), len(snap.activities))
        received = {s.office for s in data.submissions if s.period == p.id and s.accepted and s.office in offices}
        x = TREND_LEFT + (TREND_RIGHT - TREND_LEFT) * (i / span if len(shown) > 1 else 0.5)
        points.append(TrendPoint(
            period=p.id, average_progress=average, completed_percent=done, delayed=snap.count(Status.DELAYED),
            returns_received=len(received), x=round(x, 1), y_progress=y(average), y_completed=y(done),
        ))

    def path(attr: str) -> str:
        return " ".join(f"{p.x:.1f},{getattr(p, attr):.1f}" for p in points if getattr(p, attr) is not None)

    return TrendChart(
        points=points, progress_path=path("y_progress"), completed_path=path("y_completed"),
        width=TREND_WIDTH, height=TREND_HEIGHT, gridlines=[(v, y(v) or 0.0) for v in (0, 25, 50, 75, 100)],
        plot_left=TREND_LEFT, plot_right=TREND_RIGHT,
    )
