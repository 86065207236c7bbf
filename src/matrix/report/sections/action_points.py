"""The action points section: per action point its activities by status and its progress."""

from __future__ import annotations

from matrix.report.context import ActionPointRow
from matrix.report.counting import Snapshot
from matrix.report.sections.figures import change, status_bar
from matrix.report.sections.trends import History
from matrix.report.words import Words


def action_point_rows(
    now: Snapshot, before: Snapshot | None, history: History, words: Words
) -> list[ActionPointRow]:
    rows = []
    for ap in words.framework.action_points:
        figures = now.figures(action_point=ap)
        earlier = before.figures(action_point=ap).average if before else None
        rows.append(
            ActionPointRow(
                id=ap.id,
                number=ap.number,
                title=words.action_point_title(ap),
                activities=figures.activities,
                status=status_bar(figures, words),
                average_progress=figures.average,
                progress_change=change(figures.average, earlier),
                targets_reached=figures.reached,
                indicators_with_target=figures.with_target,
                trend=history.of_action_point(ap.id),
            )
        )
    return rows
