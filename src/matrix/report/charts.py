"""Chart geometry, apart from what the charts show: where a stacked bar's segments sit, which
colour band of the heat map a value falls in, and the trend chart's SVG coordinates. Templates
draw with these numbers and never compute any."""

from __future__ import annotations

from collections.abc import Iterable

from matrix.report.context import BarSegment, Spark

TREND_WIDTH, TREND_HEIGHT = 640, 220
"""The trend chart's SVG viewBox."""
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 48, 596, 16, 184
"""The plot area inside it: room on the left for the percent labels, on the right for the last
period's label."""
GRIDLINES = (0, 25, 50, 75, 100)
"""Percent values with a horizontal gridline."""
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 120, 32, 4
"""The small trend charts' SVG viewBox, and the room kept around the line for its dots."""


def bar_segments(counts: Iterable[tuple[str, int]], total: int, rtl: bool) -> list[BarSegment]:
    """A stacked bar 100 wide of (status, count) in order, filled from the right when `rtl`;
    statuses without a count get no segment."""
    segments, x = [], 0.0
    for status, count in counts:
        if count:
            width = 100.0 * count / total
            left = 100.0 - x - width if rtl else x
            segments.append(BarSegment(status=status, x=round(left, 3), width=round(width, 3)))
            x += width
    return segments


def heat_level(activities: int, value: float | None) -> str:
    """The heat map's colour band: 'none' (no activity), 'unreported', or 'p0' to 'p100' in steps
    of 25 (every value from 100 up is 'p100')."""
    if not activities:
        return "none"
    if value is None:
        return "unreported"
    return "p100" if value >= 100 else f"p{int(value // 25) * 25}"


def trend_x(index: int, count: int) -> float:
    """x of the `index`th of `count` periods, spread over the plot; a single one in the middle."""
    span = max(count - 1, 1)
    return TREND_LEFT + (TREND_RIGHT - TREND_LEFT) * (index / span if count > 1 else 0.5)


def trend_y(value: float | None) -> float | None:
    """y of a percent (capped at 100), or None for no value."""
    if value is None:
        return None
    return TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * min(value, 100.0) / 100.0


def gridlines() -> list[tuple[int, float]]:
    """(percent label, y) of each gridline."""
    return [(value, trend_y(value) or 0.0) for value in GRIDLINES]


def polyline(points: Iterable[tuple[float, float | None]]) -> str:
    """SVG polyline points of (x, y) pairs, leaving out the periods without a value."""
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points if y is not None)


def spark(periods: list[str], values: list[float | None]) -> Spark:
    """A small line chart of percents (0-100, capped) over the periods, with the numbers it
    draws."""
    span = max(len(values) - 1, 1)
    height = SPARK_HEIGHT - 2 * SPARK_PAD
    dots = [
        (
            round(
                SPARK_PAD + (SPARK_WIDTH - 2 * SPARK_PAD) * (i / span if len(values) > 1 else 0.5),
                1,
            ),
            round(SPARK_PAD + height - height * min(max(v, 0.0), 100.0) / 100.0, 1),
        )
        for i, v in enumerate(values)
        if v is not None
    ]
    return Spark(
        path=" ".join(f"{x},{y}" for x, y in dots),
        dots=dots,
        values=list(zip(periods, values, strict=True)),
    )
