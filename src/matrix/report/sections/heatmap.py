"""The heat map: progress of every office on every action point."""

from __future__ import annotations

from matrix.models.plan import Status
from matrix.report.charts import heat_level
from matrix.report.context import HeatCell, HeatRow
from matrix.report.counting import Snapshot
from matrix.report.words import Words


def heat_map(now: Snapshot, offices: list[str], words: Words) -> list[HeatRow]:
    rows = []
    for office in offices:
        cells = []
        for ap in words.framework.action_points:
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
    return rows
