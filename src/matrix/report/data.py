"""What the report is computed from: the plan's progress as collected, period by period.

A plain input, so the report can be built from the store (`matrix.report.source`) or from rows
made in a test, and computed the same way either way. A period's rows are any iterable of objects
with `ProgressRecord`'s fields (the store's `ProgressRecord`s, read one period at a time since a
global plan's history is millions of rows, or a test's `ProgressRow`s); submissions are the
store's `Submission`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from matrix.models.returns import Narratives, ProgressRecord, ProposedActivity
from matrix.store.rows import Submission


@dataclass
class PeriodData:
    """The current picture of one period: the rows of the accepted return of every office."""

    rows: Iterable[ProgressRecord] = field(default_factory=list)
    """Latest accepted value of every reported row, one per (country, ref); when a row appears
    twice, the later one wins. Iterated once per report."""
    brief_rows: Iterable[ProgressRecord] | None = None
    """The same rows with only country, ref, status and actual (cheaper to read), for a period the
    report only counts (not the reported one or the one before); None: `rows` are read."""
    proposed: dict[str, list[ProposedActivity]] = field(default_factory=dict)
    """Office code -> activities it reported that are not in the plan."""
    narratives: dict[str, Narratives] = field(default_factory=dict)
    """Office code -> its overview, initiatives and good practices."""


@dataclass
class ReportData:
    """Everything stored for a plan: progress per period and every submission."""

    periods: dict[str, PeriodData] = field(default_factory=dict)
    """Period id -> its data."""
    submissions: list[Submission] = field(default_factory=list)
    """Every file received, in the order collected."""
