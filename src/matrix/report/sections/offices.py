"""A section per office: its figures per action point and the rows that need attention."""

from __future__ import annotations

from collections.abc import Mapping

from matrix.models.plan import Status
from matrix.models.returns import Narratives
from matrix.overview import overview_headings
from matrix.report.attention import Attention
from matrix.report.context import (
    CountrySection,
    OfficeActionPoint,
    OverviewItem,
    Practice,
    PracticeRef,
    ProposedLine,
    ReturnState,
)
from matrix.report.counting import Snapshot
from matrix.report.data import PeriodData
from matrix.report.sections.delayed import activity_line
from matrix.report.sections.figures import status_bar
from matrix.report.sections.stock_take import initiative_lines
from matrix.report.words import Words

MAX_OFFICE_ITEMS = 20
"""Rows needing attention listed per office (a global plan has thousands of rows per office)."""


def listed_by_office(now: Snapshot, attention: list[Attention]) -> dict[str, list[Attention]]:
    """Office -> its rows that need attention, most pressing first (`matrix.report.attention`):
    the first MAX_OFFICE_ITEMS are listed in its section."""
    per_office: dict[str, list[Attention]] = {}
    for a in attention:  # most pressing first, kept within each office
        per_office.setdefault(now.layout.row_office[a.row], []).append(a)
    return per_office


def country_sections(
    now: Snapshot,
    per_office: dict[str, list[Attention]],
    offices: list[str],
    returns: list[ReturnState],
    words: Words,
    period: PeriodData,
    practices: list[Practice],
    proposed: Mapping[str, list[ProposedLine]],
) -> list[CountrySection]:
    """Per office: its overview of the period, its figures per action point, the rows that need
    attention (`listed_by_office`: the most pressing MAX_OFFICE_ITEMS of them; the export has
    every row), then its stock-take and good practices."""
    by_office = {r.office: r for r in returns}
    sections = []
    for office in offices:
        listed = per_office.get(office, [])
        figures = now.figures(office=office)
        sections.append(
            CountrySection(
                office=office,
                name=words.office(office),
                anchor=f"office-{office.lower()}",
                return_state=by_office[office],
                overview=overview_items(period.narratives.get(office), words),
                status=status_bar(figures, words),
                average_progress=figures.average,
                action_points=[
                    OfficeActionPoint(
                        label=words.action_point(ap),
                        activities=f.activities,
                        status=status_bar(f, words),
                        average_progress=f.average,
                        delayed=f.counts[Status.DELAYED.value],
                    )
                    for ap in words.framework.action_points
                    if (f := now.figures(office=office, action_point=ap)).activities
                ],
                lines=[activity_line(now, a.row, words, a) for a in listed[:MAX_OFFICE_ITEMS]],
                lines_more=max(0, len(listed) - MAX_OFFICE_ITEMS),
                initiatives=initiative_lines(office, period, words),
                proposed=proposed.get(office, []),
                practices=[
                    PracticeRef(anchor=p.anchor, title=p.title)
                    for p in practices
                    if p.office == office
                ],
            )
        )
    return sections


def overview_items(narratives: Narratives | None, words: Words) -> list[OverviewItem]:
    """What the office wrote under each heading, in the plan's order, headings in the report's
    language."""
    if narratives is None:
        return []
    texts = {entry.heading: entry.text for entry in narratives.overview}
    return [
        OverviewItem(heading=heading.label(words.lang), text=texts[heading.id])
        for heading in overview_headings(words.plan)
        if heading.id in texts
    ]
