"""Every figure of the report, from the plan and the collected progress: each section computes its
part (`matrix.report.sections`, `matrix.report.findings`) from the same snapshots of the period and
the previous one (made from the offices' summaries, `matrix.report.summaries`, the texts read only
for the rows the report lists); this module puts them into one `ReportContext`.

How activities, statuses and progress are counted is in `matrix.report.counting`.
"""

from __future__ import annotations

from datetime import datetime

from matrix._version import __version__
from matrix.errors import MatrixError
from matrix.models.issues import Severity
from matrix.models.plan import Plan
from matrix.periods import Period, due_date, parse_for_plan, periods_between
from matrix.plan import expected_offices, plan_index
from matrix.report.attention import ranked, regressed_rows
from matrix.report.context import ReportContext
from matrix.report.counting import Figures, Layout, Snapshot, read_rows
from matrix.report.data import PeriodData, ReportData
from matrix.report.findings import (
    DUPLICATE_THRESHOLD,
    gaps,
    like_plan_activities,
    likely_duplicates,
    quality,
)
from matrix.report.sections.across import across
from matrix.report.sections.action_points import action_point_rows
from matrix.report.sections.actors import actor_rows
from matrix.report.sections.delayed import MAX_DELAYED_SHOWN, activity_line, delayed_rows
from matrix.report.sections.executive import (
    SHOWN,
    achievements,
    asking,
    largest_gaps,
    partner_asks,
)
from matrix.report.sections.funding import funding_rows, funds_secured
from matrix.report.sections.good_practices import practices
from matrix.report.sections.heatmap import heat_map
from matrix.report.sections.indicators import indicator_figures
from matrix.report.sections.map import progress_map
from matrix.report.sections.offices import MAX_OFFICE_ITEMS, country_sections, listed_by_office
from matrix.report.sections.returns import return_states
from matrix.report.sections.stock_take import proposed_by_office, stock_take
from matrix.report.sections.summary import headline, highlights
from matrix.report.sections.trends import (
    MAX_CHANGES_SHOWN,
    History,
    changed_rows,
    status_change,
    trend,
)
from matrix.report.summaries import charted, snapshot
from matrix.report.words import Words

MAX_DUPLICATES_SHOWN = 100
"""A plan with hundreds of look-alike titles would otherwise bury the report in pairs."""


def build_context(
    plan: Plan,
    data: ReportData,
    period: str | Period,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime,
) -> ReportContext:
    """The report for `period` (a period id of the plan's frequency), for the plan or one office.

    Raises MatrixError for a period or office the plan does not have.
    """
    current = parse_for_plan(plan.reporting, period)
    all_offices = expected_offices(plan)
    country = office_code(country)
    if country is not None and country not in all_offices:
        raise MatrixError("error.not_an_office", office=country, offices=all_offices)
    offices = [country] if country else all_offices
    words = Words(plan, lang)
    first = Period.parse(plan.reporting.first_period)
    previous = (
        current.previous() if current > first and current.previous().id in data.periods else None
    )
    layout = Layout(plan, offices)
    history = History(layout, words.framework.action_points)
    before: Snapshot | None = None
    points: list[tuple[Period, Figures]] = []
    stored = [p for p in periods_between(first, current) if p < current and p.id in data.periods]
    compared = [p.id for p in (previous, current) if p is not None]
    for charted_period, figures, of_office in charted(layout, data, [*stored, current], compared):
        points.append((charted_period, figures))
        history.add_offices(charted_period, of_office)
        if charted_period == previous:
            before = snapshot(layout, previous, of_office)
    now = snapshot(layout, current, of_office)
    reported = data.periods.get(current.id) or PeriodData()
    described = [
        practice
        for office in offices
        if (found := reported.narratives.get(office)) is not None
        for practice in practices(office, current.id, found, words)
    ]
    returns = return_states(plan, data, current, offices, words)
    duplicates, duplicates_found = likely_duplicates(
        layout, data, current, offices, words, MAX_DUPLICATES_SHOWN
    )
    matches = like_plan_activities(
        layout, {p.title for office in offices for p in reported.proposed.get(office, [])}
    )
    proposed = proposed_by_office(offices, reported, words, matches)
    flagged = delayed_rows(now)
    regressed = regressed_rows(now, before)
    attention = ranked(now, before, plan.check_settings.at_risk_margin, regressed)
    listed = listed_by_office(now, attention)
    asked = asking(now)
    read_rows(
        now,
        reported,
        {a.row for a in attention[:MAX_DELAYED_SHOWN]}
        | {a.row for rows in listed.values() for a in rows[:MAX_OFFICE_ITEMS]}
        | {j for rows in asked.values() for j in rows[:SHOWN]},
    )
    changes = changed_rows(now, before)
    secured = funds_secured(now)
    top = headline(now, before, returns, secured, words)
    found_gaps = gaps(plan, layout, offices, words)
    columns, heat_rows = heat_map(now, offices, words)
    achieved, achieved_total = achievements(now, before, words)
    regional = indicator_figures(now, words)
    across_shown, across_total = across(
        now, regional, indicator_figures(before, words) if before else [], history, regressed, words
    )
    by_action_point = funding_rows(
        {
            ap.id: (words.action_point(ap), layout.activities_of(action_point=ap))
            for ap in words.framework.action_points
        },
        layout,
        secured,
    )
    return ReportContext(
        lang=lang,
        direction="rtl" if words.rtl else "ltr",
        labels=words.labels(),
        plan_id=plan.id,
        plan_title=words.text(plan.title),
        plan_hash=plan_index(plan).content_hash[:12],
        framework_title=words.framework_title(),
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
        highlights=highlights(
            top,
            previous,
            len({layout.row_key[j] for j in flagged}),
            returns,
            found_gaps.action_points_without_activity,
            by_action_point,
            duplicates_found,
            [line for lines in proposed.values() for line in lines],
            plan.currency,
            words,
        ),
        achievements=achieved,
        achievements_total=achieved_total,
        largest_gaps=largest_gaps(layout, secured),
        partner_asks=partner_asks(now, asked, words),
        action_points=action_point_rows(now, before, history, words),
        across=across_shown,
        across_total=across_total,
        map=progress_map(now, offices, words),
        heat_columns=columns,
        heat_rows=heat_rows,
        countries=country_sections(
            now, listed, offices, returns, words, reported, described, proposed
        ),
        actors=actor_rows(plan, now, offices, words),
        delayed=[activity_line(now, a.row, words, a) for a in attention[:MAX_DELAYED_SHOWN]],
        delayed_more=max(0, len(attention) - MAX_DELAYED_SHOWN),
        gaps=found_gaps,
        duplicates=duplicates,
        duplicates_more=duplicates_found - len(duplicates),
        duplicate_threshold=100 * DUPLICATE_THRESHOLD,
        indicator_figures=regional,
        funding_by_action_point=by_action_point,
        funding_by_actor=funding_rows(
            {a.id: (words.text(a.name), layout.activities_of(lead=a.id)) for a in plan.actors},
            layout,
            secured,
        ),
        changes=[status_change(now, j, before, words) for j in changes[:MAX_CHANGES_SHOWN]],
        changes_more=max(0, len(changes) - MAX_CHANGES_SHOWN),
        trend=trend(data, points, offices),
        returns=returns,
        quality=quality(data, current, offices, words),
        plan_changes=quality(data, current, offices, words, severity=Severity.INFO),
        stock_take=stock_take(offices, reported, words, proposed),
        good_practices=described,
    )


def office_code(country: str | None) -> str | None:
    """The office code a user typed (`--country ken `), as the plan writes it."""
    return country.strip().upper() if country else None
