"""The summary at the top: headline figures and key points in sentences."""

from __future__ import annotations

from matrix.models.plan import Status
from matrix.periods import Period
from matrix.report.context import (
    FundingRow,
    Headline,
    Highlight,
    ProposedLine,
    ReturnsSummary,
    ReturnState,
)
from matrix.report.counting import Snapshot
from matrix.report.sections.figures import change, status_bar
from matrix.report.sections.funding import funding
from matrix.report.words import Words


def headline(
    now: Snapshot,
    before: Snapshot | None,
    returns: list[ReturnState],
    secured: dict[str, float],
    words: Words,
) -> Headline:
    figures = now.figures()
    earlier = before.figures() if before else None
    states = [r.state for r in returns]
    received = states.count("on_time") + states.count("late")
    completed = Status.COMPLETED.value
    return Headline(
        plan_activities=len(now.layout.activity_ids),
        activities=figures.activities,
        status=status_bar(figures, words),
        indicators_with_target=figures.with_target,
        targets_reached=figures.reached,
        average_progress=figures.average,
        average_progress_change=change(figures.average, earlier.average) if earlier else None,
        completed_change=figures.counts[completed] - earlier.counts[completed] if earlier else None,
        returns=ReturnsSummary(
            expected=len(returns),
            received=received,
            late=states.count("late"),
            rejected=states.count("rejected"),
            missing=states.count("missing"),
        ),
        funding=funding(now.layout.activity_ids, now.layout, secured),
    )


def highlights(
    top: Headline,
    previous: Period | None,
    late: int,
    returns: list[ReturnState],
    empty_action_points: list[str],
    funding: list[FundingRow],
    duplicates: int,
    proposed: list[ProposedLine],
    currency: str,
    words: Words,
) -> list[Highlight]:
    """What is late, what is missing, where the money and the plan fall short: in sentences.
    `late`: activities (per office) delayed or past their planned end."""
    out = []
    out.append(
        Highlight(
            text=words.sentence("report.highlight.delayed", n=late)
            if late
            else words.label("report.highlight.no_delays"),
            anchor="delayed",
        )
    )
    if top.completed_change and top.completed_change > 0 and previous:
        out.append(
            Highlight(
                text=words.sentence(
                    "report.highlight.completed", n=top.completed_change, period=previous.id
                ),
                anchor="trends",
            )
        )
    unusable = [r.name for r in returns if r.state in ("rejected", "missing")]
    out.append(
        Highlight(
            text=words.sentence("report.highlight.returns", offices=unusable)
            if unusable
            else words.label("report.highlight.all_returns"),
            anchor="returns",
        )
    )
    if funding and (widest := max(funding, key=lambda row: row.funding.gap)).funding.gap > 0:
        out.append(
            Highlight(
                text=words.sentence(
                    "report.highlight.funding_gap",
                    label=widest.label,
                    gap=round(widest.funding.gap),
                    currency=currency,
                ),
                anchor="funding",
            )
        )
    if empty_action_points:
        out.append(
            Highlight(
                text=words.sentence("report.highlight.plan_gaps", n=len(empty_action_points)),
                anchor="gaps",
            )
        )
    if duplicates:
        out.append(
            Highlight(
                text=words.sentence("report.highlight.duplicates", n=duplicates),
                anchor="duplicates",
            )
        )
    if proposed:
        like = sum(bool(line.like_plan) for line in proposed)
        out.append(
            Highlight(
                text=words.sentence("report.highlight.proposed", n=len(proposed), like=like),
                anchor="stock-take",
            )
        )
    return out
