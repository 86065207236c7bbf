"""The heat map: progress of every office on every action point that has an activity; an action
point with none anywhere would only be a column of dots."""

from __future__ import annotations

from matrix.models.plan import ActionPoint, Status
from matrix.report.charts import heat_level
from matrix.report.context import HeatCell, HeatColumn, HeatRow
from matrix.report.counting import Snapshot
from matrix.report.words import Words


def heat_columns(now: Snapshot, words: Words) -> list[ActionPoint]:
    """The action points with at least one activity in the report's offices, in framework order."""
    return [ap for ap in words.framework.action_points if now.layout.ap_groups.get(ap.id)]


def heat_map(
    now: Snapshot, offices: list[str], words: Words
) -> tuple[list[HeatColumn], list[HeatRow]]:
    columns = heat_columns(now, words)
    rows = []
    for office in offices:
        cells = []
        for ap in columns:
            figures = now.figures(office=office, action_point=ap)
            cells.append(
                HeatCell(
                    value=figures.average,
                    level=heat_level(figures.activities, figures.average),
                    activities=figures.activities,
                    delayed=figures.counts[Status.DELAYED.value],
                )
            )
        rows.append(HeatRow(office=office, name=words.office(office), cells=cells))
    header = [
        HeatColumn(id=ap.id, number=ap.number, title=words.action_point_title(ap)) for ap in columns
    ]
    return header, rows
