"""What the report is computed from: the plan's progress as collected, period by period.

A plain input, so the report can be built from the store (`matrix.report.source`) or from rows
made in a test, and computed the same way either way. A period's rows are any iterable of objects
with `ProgressRecord`'s fields (the store's `ProgressRecord`s, read one period at a time since a
global plan's history is millions of rows, or a test's `ProgressRow`s); submissions are the
store's `Submission`s; summaries are the offices' figures as of each period that `collect` kept
(`matrix.report.summaries`), which a report reads instead of the rows (those it lacks it works out
from them).
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from matrix.models.returns import Narratives, ProgressRecord, ProposedActivity
from matrix.store.rows import Submission
from matrix.store.summaries import StoredSummary


@dataclass
class Figures:
    """Activities by status and progress towards target of one group of counted activities."""

    counts: Counter[str] = field(default_factory=Counter)
    with_target: int = 0
    reached: int = 0
    capped_sum: float = 0.0
    capped_n: int = 0

    @property
    def activities(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        """Mean capped progress of the rows with a target, 0-100."""
        return self.capped_sum / self.capped_n if self.capped_n else None

    def add(self, other: Figures) -> Figures:
        self.counts.update(other.counts)
        self.with_target += other.with_target
        self.reached += other.reached
        self.capped_sum += other.capped_sum
        self.capped_n += other.capped_n
        return self


@dataclass
class Summary:
    """One office's figures as of one period."""

    groups: list[tuple[str, Figures]]
    """(action point id, figures) of each of the office's groups, in `Layout.groups` order."""
    capped: array[float]
    """Capped progress of each of its rows with a target, in layout order (NONE: no progress)."""
    carried: str
    """JSON list of [row number in the office, value, count, total] of each figure to date that
    carries on (`ToDate.state`), for the rows that have one: read only where a report resumes
    from it (`states`), the last period it charts."""
    rows: str
    """Each of its rows' figure as of the period, and status and notes, in layout order, packed
    (`pack`): the office's part of the snapshots of the reported period and the one before,
    read only for those (`status`, `achieved`)."""
    funds: str
    """JSON list of [activity number in the office, funds secured] of its activities with funds
    secured (`Snapshot.funds`), read only for the reported period (`secured`)."""

    @cached_property
    def states(self) -> list[tuple[int, float | None, int, float]]:
        return [tuple(state) for state in json.loads(self.carried)]

    @cached_property
    def secured(self) -> list[tuple[int, float]]:
        return [(k, f) for k, f in json.loads(self.funds)]

    @staticmethod
    def pack(status: bytes, achieved: array[float]) -> str:
        """Base64 of the figures (little-endian doubles, NaN: none), then one byte each of status
        and notes (`summaries.ROW_BYTES`)."""
        figures = array("d", achieved)
        if sys.byteorder == "big":  # kept little-endian, whatever machine wrote it
            figures.byteswap()
        return base64.b64encode(figures.tobytes() + status).decode("ascii")

    @cached_property
    def _unpacked(self) -> tuple[bytes, array[float]]:
        packed = base64.b64decode(self.rows)
        n, rest = divmod(len(packed), 9)  # a double and a status byte each
        if rest:
            raise ValueError  # damaged: worked out again (`summaries.Offices.fits`)
        achieved = array("d", packed[: 8 * n])
        if sys.byteorder == "big":
            achieved.byteswap()
        return packed[8 * n :], achieved

    @property
    def status(self) -> bytes:
        return self._unpacked[0]

    @property
    def achieved(self) -> array[float]:
        return self._unpacked[1]

    def stored(self, office: str, period: str, inputs: str) -> StoredSummary:
        capped = array("d", self.capped)
        if sys.byteorder == "big":  # kept little-endian, whatever machine wrote it
            capped.byteswap()
        figures = [
            [ap_id, dict(f.counts), f.with_target, f.reached, f.capped_sum, f.capped_n]
            for ap_id, f in self.groups
        ]
        return StoredSummary(
            office=office,
            period=period,
            inputs=inputs,
            figures=json.dumps(figures),
            capped=base64.b64encode(capped.tobytes()).decode("ascii"),
            carried=self.carried,
            rows=self.rows,
            funds=self.funds,
        )

    @classmethod
    def read(cls, stored: StoredSummary) -> Summary:
        capped = array("d", base64.b64decode(stored.capped))
        if sys.byteorder == "big":
            capped.byteswap()
        groups = [
            (ap_id, Figures(Counter(counts), with_target, reached, capped_sum, capped_n))
            for ap_id, counts, with_target, reached, capped_sum, capped_n in json.loads(
                stored.figures
            )
        ]
        return cls(groups, capped, stored.carried, stored.rows, stored.funds)


@dataclass
class PeriodData:
    """The current picture of one period: the rows of the accepted return of every office."""

    rows: Iterable[ProgressRecord] = field(default_factory=list)
    """Latest accepted value of every reported row, one per (country, ref); when a row appears
    twice, the later one wins. Read where a summary is worked out, and for the texts of the rows
    a report lists when `some_rows` is None."""
    brief_rows: Iterable[ProgressRecord] | None = None
    """The same rows without their next steps (cheaper to read), for working out summaries;
    None: `rows` are read."""
    some_rows: Callable[[list[tuple[str, str]]], Iterable[ProgressRecord]] | None = None
    """(country, ref) pairs -> those of `rows` (the store's: found in SQL, for the few rows whose
    texts a report shows); None: `rows` are read and the others passed over."""
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
    summaries: dict[tuple[str, str], Summary] = field(default_factory=dict)
    """(office, period id) -> the office's figures as of the period, kept by `collect` and still
    current; the report works out those missing from the rows."""
