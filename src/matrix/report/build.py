"""Compute every figure of the report from the plan and the collected progress.

How activities, statuses and progress are counted is in `matrix.report.counting`. Funding: a
budget is the activity's whole requirement across its offices; funds secured are what the offices
reported for the period (one value per office and activity), summed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from matrix import __version__
from matrix.models.plan import Activity, Plan, Status
from matrix.periods import Period, due_date, parse_for_plan
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
    OfficeActionPoint,
    ReportContext,
    ReturnsSummary,
    ReturnState,
    StatusBar,
    StatusChange,
    StatusCount,
    TrendChart,
    TrendPoint,
)
from matrix.report.counting import (
    FINISHED_VALUES,
    STATUS_ORDER,
    Figures,
    Layout,
    Snapshot,
    percent,
    snapshots,
)
from matrix.report.data import ReportData
from matrix.report.findings import DUPLICATE_THRESHOLD, gaps, likely_duplicates, place, quality
from matrix.report.words import Words
from matrix.status import expected_offices

MAX_ERRORS_SHOWN = 3
MAX_DUPLICATES_SHOWN = 100
"""A plan with hundreds of look-alike titles would otherwise bury the report in pairs."""
MAX_CHANGES_SHOWN = 200
"""Status changes listed; the count says how many more there are."""
MAX_DELAYED_SHOWN = 200
"""Delayed or overdue rows listed in their section; the rest are counted, and `matrix export` has them all."""
MAX_OFFICE_ITEMS = 20
"""Rows needing attention listed per office (a global plan has thousands of rows per office)."""
FAR_BELOW_TARGET = 25.0
"""Progress (percent of target) under which a reported row needs attention in its office's section."""
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
    country = office_code(country)
    if country is not None and country not in all_offices:
        raise ValueError(f"'{country}' is not an office of this plan; choose one of {', '.join(all_offices)}")
    offices = [country] if country else all_offices
    words = Words(plan, lang)
    first = Period.parse(plan.reporting.first_period)
    previous = current.previous() if current > first and current.previous().id in data.periods else None
    layout = Layout(plan, offices)
    now: Snapshot | None = None
    before: Snapshot | None = None
    points: list[tuple[Period, Figures]] = []
    for snap in snapshots(layout, data, first, current):
        points.append((snap.period, snap.figures()))
        if snap.period == current:
            now = snap
        elif snap.period == previous:
            before = snap
    assert now is not None  # snapshots() always ends with `current`
    returns = return_states(plan, data, current, offices, words)
    duplicates, duplicates_found = likely_duplicates(layout, data, current, offices, words, MAX_DUPLICATES_SHOWN)
    flagged = delayed_rows(now)
    changes = changed_rows(now, before)
    secured = funds_secured(now)
    top = headline(now, before, returns, secured, words)
    found_gaps = gaps(plan, layout, offices, words)
    by_action_point = funding_rows(
        {ap.id: (words.action_point(ap), layout.activities_of(action_point=ap)) for ap in words.framework.action_points},
        layout, secured,
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
        highlights=highlights(top, previous, len({layout.row_key[j] for j in flagged}), returns,
                              found_gaps.action_points_without_activity,
                              by_action_point, duplicates_found, plan.currency, words),
        action_points=action_point_rows(now, before, words),
        heat_rows=heat_map(now, offices, words),
        countries=country_sections(now, offices, returns, words),
        actors=actor_rows(plan, now, offices, words),
        delayed=[activity_line(now, j, words) for j in flagged[:MAX_DELAYED_SHOWN]],
        delayed_more=max(0, len(flagged) - MAX_DELAYED_SHOWN),
        gaps=found_gaps,
        duplicates=duplicates,
        duplicates_more=duplicates_found - len(duplicates),
        duplicate_threshold=100 * DUPLICATE_THRESHOLD,
        funding_by_action_point=by_action_point,
        funding_by_actor=funding_rows({a.id: (a.name, layout.activities_of(lead=a.id)) for a in plan.actors}, layout, secured),
        changes=[status_change(now, j, before, words) for j in changes[:MAX_CHANGES_SHOWN]],
        changes_more=max(0, len(changes) - MAX_CHANGES_SHOWN),
        trend=trend(data, points, offices),
        returns=returns,
        quality=quality(data, current, offices, words),
    )


def office_code(country: str | None) -> str | None:
    """The office code a user typed (`--country ken `), as the plan writes it."""
    return country.strip().upper() if country else None


def status_bar(figures: Figures, words: Words) -> StatusBar:
    """Counts per status and a stacked bar, filled from the right in a right-to-left report."""
    total = figures.activities
    counts = [
        StatusCount(status=s, label=words.status(s), count=figures.counts[s], percent=percent(figures.counts[s], total))
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


def headline(
    now: Snapshot, before: Snapshot | None, returns: list[ReturnState], secured: dict[str, float], words: Words
) -> Headline:
    figures = now.figures()
    earlier = before.figures() if before else None
    states = [r.state for r in returns]
    received = states.count("on_time") + states.count("late")
    completed = Status.COMPLETED.value
    return Headline(
        activities=figures.activities,
        status=status_bar(figures, words),
        indicators_with_target=figures.with_target,
        targets_reached=figures.reached,
        average_progress=figures.average,
        average_progress_change=_change(figures.average, earlier.average) if earlier else None,
        completed_change=figures.counts[completed] - earlier.counts[completed] if earlier else None,
        returns=ReturnsSummary(
            expected=len(returns), received=received, late=states.count("late"), rejected=states.count("rejected"),
            missing=states.count("missing"),
        ),
        funding=funding(now.layout.activity_ids, now.layout, secured),
    )


def highlights(
    top: Headline, previous: Period | None, late: int, returns: list[ReturnState],
    empty_action_points: list[str], funding: list[FundingRow], duplicates: int, currency: str, words: Words,
) -> list[Highlight]:
    """What is late, what is missing, where the money and the plan fall short: in sentences.
    `late`: activities (per office) delayed or past their planned end."""
    out = []
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
        figures = now.figures(action_point=ap)
        earlier = before.figures(action_point=ap).average if before else None
        rows.append(ActionPointRow(
            id=ap.id, number=ap.number, title=words.action_point_title(ap), activities=figures.activities,
            status=status_bar(figures, words), average_progress=figures.average,
            progress_change=_change(figures.average, earlier), targets_reached=figures.reached,
            indicators_with_target=figures.with_target,
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
            figures = now.figures(office=office, action_point=ap)
            cells.append(HeatCell(
                value=figures.average, level=heat_level(figures.activities, figures.average),
                activities=figures.activities, delayed=figures.counts[Status.DELAYED.value],
            ))
        rows.append(HeatRow(office=office, name=words.office(office), cells=cells))
    return rows


def overdue(now: Snapshot, j: int) -> bool:
    """Planned end passed before the period's end, and the row not finished."""
    end = now.layout.row_end[j]
    return end is not None and end < now.period_end and now.status[j] not in FINISHED_VALUES


def delayed_rows(now: Snapshot) -> list[int]:
    """Rows reported delayed, or past their planned end and not finished, in office then plan order."""
    delayed, period_end = Status.DELAYED.value, now.period_end
    return [
        j for j, (status, end) in enumerate(zip(now.status, now.layout.row_end, strict=True))
        if status == delayed or (end is not None and end < period_end and status not in FINISHED_VALUES)
    ]


def attention(now: Snapshot, j: int) -> int | None:
    """Why an office's section lists a row, most pressing first: 0 delayed, 1 past its planned end,
    2 far below target, 3 commented on; None when it needs no attention."""
    if now.status[j] == Status.DELAYED.value:
        return 0
    if overdue(now, j):
        return 1
    progress, reported = now.progress[j], now.reported[j]
    if progress is not None and progress < FAR_BELOW_TARGET and now.status[j] not in FINISHED_VALUES:
        return 2
    if reported is not None and (reported[5] or reported[6] or reported[7]):
        return 3
    return None


def activity_line(now: Snapshot, j: int, words: Words) -> ActivityLine:
    row, office, reported = now.layout.rows[j], now.layout.row_office[j], now.reported[j]
    activity, indicator, status, progress = row.activity, row.indicator, now.status[j], now.progress[j]
    return ActivityLine(
        office=office, office_name=words.office(office), ref=row.ref, activity_id=activity.id,
        activity=activity.title, action_point=words.action_point(now.layout.action_point[activity.id]),
        lead=activity.lead or "", partners=", ".join(activity.partners), indicator=indicator.name if indicator else "",
        unit=(indicator.unit or "") if indicator else "", target=now.layout.target[j], achieved=now.achieved[j],
        progress=progress, progress_bar=now.capped(j) or 0.0, status=status, status_label=words.status(status),
        end=activity.end, overdue=overdue(now, j),
        comments=reported[5] if reported else "", next_steps=reported[6] if reported else "",
        support_needed=reported[7] if reported else "",
    )


def country_sections(now: Snapshot, offices: list[str], returns: list[ReturnState], words: Words) -> list[CountrySection]:
    """Per office: its figures per action point and the rows that need attention, the most pressing
    MAX_OFFICE_ITEMS of them (the export has every row)."""
    by_office = {r.office: r for r in returns}
    sections = []
    for office in offices:
        ranked = sorted((rank, j) for j in now.layout.office_span[office] if (rank := attention(now, j)) is not None)
        listed = [j for _, j in ranked]
        figures = now.figures(office=office)
        sections.append(CountrySection(
            office=office, name=words.office(office), anchor=f"office-{office.lower()}",
            return_state=by_office[office], status=status_bar(figures, words), average_progress=figures.average,
            action_points=[
                OfficeActionPoint(label=words.action_point(ap), activities=f.activities, status=status_bar(f, words),
                                  average_progress=f.average, delayed=f.counts[Status.DELAYED.value])
                for ap in words.framework.action_points
                if (f := now.figures(office=office, action_point=ap)).activities
            ],
            lines=[activity_line(now, j, words) for j in listed[:MAX_OFFICE_ITEMS]],
            lines_more=max(0, len(listed) - MAX_OFFICE_ITEMS),
        ))
    return sections


def actor_rows(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> list[ActorRow]:
    """Actors with most to do first: what each leads and supports, and how what it leads is going."""
    layout = now.layout
    leads: dict[str, int] = defaultdict(int)
    partners: dict[str, int] = defaultdict(int)
    where: dict[str, set[str]] = defaultdict(set)
    for office, activity_id in layout.keys:
        activity = layout.activity[activity_id]
        if activity.lead:
            leads[activity.lead] += 1
            where[activity.lead].add(office)
        for partner in activity.partners:
            partners[partner] += 1
            where[partner].add(office)
    rows = []
    for actor in plan.actors:
        led = now.figures(lead=actor.id)
        rows.append(ActorRow(
            id=actor.id, name=actor.name, type_label=words.actor_type(actor.type.value), leads=leads[actor.id],
            partners_in=partners[actor.id], status=status_bar(led, words),
            average_progress=led.average, delayed=led.counts[Status.DELAYED.value],
            offices=sorted(where[actor.id], key=offices.index),
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


def funds_secured(now: Snapshot) -> dict[str, float]:
    """Activity id -> funds secured: per office the largest value of its rows, summed over offices."""
    per_key: dict[int, float] = {}
    for j, r in enumerate(now.reported):
        if r is not None and r[4] is not None:
            k = now.layout.row_key[j]
            per_key[k] = max(per_key.get(k, 0.0), r[4])
    out: dict[str, float] = defaultdict(float)
    for k, value in sorted(per_key.items()):
        out[now.layout.keys[k][1]] += value
    return out


def funding(activity_ids: list[str], layout: Layout, secured: dict[str, float]) -> Funding | None:
    """Requirement, secured and gap of the budgeted ones among these counted activities."""
    activities: list[Activity] = [layout.activity[i] for i in activity_ids if layout.activity[i].budget is not None]
    if not activities:
        return None
    requirement = sum(a.budget or 0.0 for a in activities)
    got = sum(secured.get(a.id, 0.0) for a in activities)
    return Funding(requirement=requirement, secured=got, gap=max(requirement - got, 0.0),
                   funded_percent=percent(got, requirement))


def funding_rows(
    groups: dict[str, tuple[str, list[str]]], layout: Layout, secured: dict[str, float]
) -> list[FundingRow]:
    """One row per group (action point or lead actor) that has budgeted activities."""
    rows = []
    for key, (label, activity_ids) in groups.items():
        found = funding(activity_ids, layout, secured)
        if found is not None:
            rows.append(FundingRow(key=key, label=label, funding=found,
                                   bar_secured=min(found.funded_percent or 0.0, 100.0)))
    return rows


def changed_rows(now: Snapshot, before: Snapshot | None) -> list[int]:
    """Rows reported now whose status differs from the previous period's."""
    if before is None:
        return []
    return [
        j for j, (r, status, was) in enumerate(zip(now.reported, now.status, before.status, strict=True))
        if r is not None and r[2] is not None and status != was
    ]


def status_change(now: Snapshot, j: int, before: Snapshot | None, words: Words) -> StatusChange:
    row, status = now.layout.rows[j], now.status[j]
    assert before is not None  # a change needs a previous period
    return StatusChange(
        office_name=words.office(now.layout.row_office[j]), ref=row.ref, activity=row.activity.title,
        before=words.status(before.status[j]), after=words.status(status), after_status=status,
    )


def trend(data: ReportData, points: list[tuple[Period, Figures]], offices: list[str]) -> TrendChart:
    """Average progress and completed share over every stored period from the first to the report's."""
    span = max(len(points) - 1, 1)

    def y(value: float | None) -> float | None:
        return None if value is None else TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * min(value, 100.0) / 100.0

    chosen = set(offices)
    out = []
    for i, (p, figures) in enumerate(points):
        average = figures.average
        done = percent(figures.counts[Status.COMPLETED.value], figures.activities)
        received = {s.office for s in data.submissions if s.period == p.id and s.accepted and s.office in chosen}
        x = TREND_LEFT + (TREND_RIGHT - TREND_LEFT) * (i / span if len(points) > 1 else 0.5)
        out.append(TrendPoint(
            period=p.id, average_progress=average, completed_percent=done, delayed=figures.counts[Status.DELAYED.value],
            returns_received=len(received), x=round(x, 1), y_progress=y(average), y_completed=y(done),
        ))

    def path(attr: str) -> str:
        return " ".join(f"{p.x:.1f},{getattr(p, attr):.1f}" for p in out if getattr(p, attr) is not None)

    return TrendChart(
        points=out, progress_path=path("y_progress"), completed_path=path("y_completed"),
        width=TREND_WIDTH, height=TREND_HEIGHT, gridlines=[(v, y(v) or 0.0) for v in (0, 25, 50, 75, 100)],
        plot_left=TREND_LEFT, plot_right=TREND_RIGHT,
    )
