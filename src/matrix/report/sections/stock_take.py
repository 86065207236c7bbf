"""The stock-take: projects and initiatives outside the plan that offices listed, and the new
activities they propose for it, per action point (and per office, in the offices' sections)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from matrix.models.returns import Initiative, ProposedActivity
from matrix.report.context import InitiativeLine, ProposedLine, StockTakeGroup
from matrix.report.counting import NOT_REPORTED
from matrix.report.data import PeriodData
from matrix.report.words import Words


def initiative_lines(office: str, period: PeriodData, words: Words) -> list[InitiativeLine]:
    found = period.narratives.get(office)
    return [_initiative(office, i, words) for i in found.initiatives] if found else []


Matches = Mapping[str, tuple[str, float]]
"""Proposed title -> ('ID Title' of the plan activity it is likely a duplicate of, ratio 0-1)."""


def proposed_by_office(
    offices: list[str], period: PeriodData, words: Words, matches: Matches
) -> dict[str, list[ProposedLine]]:
    """The new activities each office proposed, flagged where the plan likely has them already."""
    return {
        office: [
            _proposed(office, p, words, matches.get(p.title))
            for p in period.proposed.get(office, [])
        ]
        for office in offices
    }


def stock_take(
    offices: list[str],
    period: PeriodData,
    words: Words,
    proposed_lines: Mapping[str, list[ProposedLine]],
) -> list[StockTakeGroup]:
    """Per action point in framework order (then what names none): every office's entries."""
    initiatives = [line for office in offices for line in initiative_lines(office, period, words)]
    proposed = [line for office in offices for line in proposed_lines.get(office, [])]
    labels = [words.action_point(ap) for ap in words.framework.action_points]
    labels.append(words.label("report.stock_take.no_action_point"))
    groups = []
    for index, label in enumerate(labels, 1):
        mine = [line for line in initiatives if line.action_point == label]
        also = [line for line in proposed if (line.action_point or labels[-1]) == label]
        if mine or also:
            groups.append(
                StockTakeGroup(
                    action_point=label,
                    anchor=f"stock-take-{index}",
                    initiatives=mine,
                    proposed=also,
                )
            )
    return groups


def _initiative(office: str, item: Initiative, words: Words) -> InitiativeLine:
    ap = words.framework.action_point(item.action_point) if item.action_point else None
    status = item.status.value if item.status else NOT_REPORTED
    return InitiativeLine(
        office=office,
        office_name=words.office(office),
        ref=item.ref,
        title=item.title,
        action_point=words.action_point(ap)
        if ap
        else words.label("report.stock_take.no_action_point"),
        actors=item.actors,
        dates=dates(item.start, item.end),
        status=status,
        status_label=words.status(status),
        comments=item.comments,
    )


def _proposed(
    office: str, item: ProposedActivity, words: Words, like: tuple[str, float] | None
) -> ProposedLine:
    ap = words.framework.action_point(item.action_point) if item.action_point else None
    status = item.status.value if item.status else NOT_REPORTED
    indicator = (
        f"{item.indicator} ({item.unit})" if item.indicator and item.unit else item.indicator
    )
    return ProposedLine(
        office=office,
        office_name=words.office(office),
        title=item.title,
        action_point=words.action_point(ap) if ap else "",
        lead=item.lead,
        partners=item.partners,
        indicator=indicator or item.unit,
        target=item.target,
        actual=item.actual,
        dates=dates(item.start, item.end),
        status=status,
        status_label=words.status(status),
        comments=item.comments,
        like_plan=like[0] if like else "",
        similarity=100 * like[1] if like else None,
    )


def dates(start: date | None, end: date | None) -> str:
    """'2025-02-01 – 2027-01-31'; '…' for a date not given; empty when neither is."""
    if start is None and end is None:
        return ""
    return f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
