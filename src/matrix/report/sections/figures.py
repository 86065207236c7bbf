"""How every section shows a set of `Figures`: counts per status with a stacked bar, and the
change of a figure since the previous period."""

from __future__ import annotations

from matrix.report.charts import bar_segments
from matrix.report.context import StatusBar, StatusCount
from matrix.report.counting import STATUS_ORDER, Figures, percent
from matrix.report.words import Words


def status_bar(figures: Figures, words: Words) -> StatusBar:
    """Counts per status and a stacked bar, filled from the right in a right-to-left report."""
    total = figures.activities
    counts = [
        StatusCount(
            status=s,
            label=words.status(s),
            count=figures.counts[s],
            percent=percent(figures.counts[s], total),
        )
        for s in STATUS_ORDER
    ]
    description = "; ".join(f"{c.label}: {c.count}" for c in counts if c.count) or "–"
    return StatusBar(
        counts=counts,
        segments=bar_segments(((c.status, c.count) for c in counts), total, words.rtl),
        total=total,
        description=description,
    )


def change(now: float | None, before: float | None) -> float | None:
    return now - before if now is not None and before is not None else None
