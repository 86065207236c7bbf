"""Each office's figures as of each period, so that a report over years of returns reads a few
numbers per office for the periods it only charts (the trend, the sparks) instead of every row of
them, and carries its figures to date on from there; and each row's status, figure and notes and
each activity's funds, so that it shows the reported period and compares it with the one before
without reading the rows of either (only the texts of the few rows it lists).

A summary is worked out by the report's own counting (`matrix.report.counting`) on a layout of
some offices: an office's figures depend on its rows only, so the report adds up the offices'
summaries in office order and gets the figures a snapshot of every office gives. `collect` keeps
them in the store (`matrix.report.source.refresh`); each names the returns it was worked out from
(`inputs`), and one whose returns are no longer those that count (a late or corrected return,
another plan version, a newer matrix) is worked out again from the rows, by the report in memory
and by the next collect in the store.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable
from math import isnan

from matrix._version import __version__
from matrix.models.plan import Plan
from matrix.periods import Period
from matrix.plan import expected_offices, plan_index
from matrix.report.counting import (
    STATUS_BITS,
    STATUS_CODE,
    STATUS_MASK,
    STATUS_ORDER,
    Figures,
    Layout,
    Snapshot,
    running_figures,
    snapshots,
)
from matrix.report.data import ReportData, Summary
from matrix.semantics import ToDate
from matrix.store.rows import Submission
from matrix.store.summaries import StoredSummary

FORMAT = 3
"""What a stored summary holds; part of its inputs, so a change of format or of this release
makes every kept summary stale rather than misread."""
NONE = float("nan")
"""A row with a target but no progress, in `Summary.capped`."""

Key = tuple[str, str]
"""(office, period id)."""
ROW_BYTES = bytes(
    code | notes << STATUS_BITS for code in range(len(STATUS_ORDER)) for notes in range(4)
)
"""The bytes a row's status and notes (`Snapshot.notes`) are kept in: its status code, then its
notes above STATUS_BITS."""
STATUS_OF_BYTE = bytes(b & STATUS_MASK for b in range(256))
NOTES_OF_BYTE = bytes(b >> STATUS_BITS for b in range(256))


class Offices:
    """Where each office's rows are in a layout: the office's groups, rows with a target and rows
    whose figure carries on, so a summary can be taken from a snapshot or added into one."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.groups: dict[str, list[tuple[str, int]]] = {office: [] for office in layout.offices}
        for (office, ap_id), g in layout.groups.items():
            self.groups[office].append((ap_id, g))
        self.targets: dict[str, list[int]] = {office: [] for office in layout.offices}
        for j in layout.with_target:
            self.targets[layout.row_office[j]].append(j)
        self.running: dict[str, list[int]] = {office: [] for office in layout.offices}
        for j, _ in layout.running:
            self.running[layout.row_office[j]].append(j)

    def fits(
        self, office: str, summary: Summary, *, rows: bool = False, resumed: bool = False
    ) -> bool:
        """Whether `summary` has the office's groups and rows (and, with `rows`, each row's
        status, figure and notes and its funds, which a report shows and compares; with
        `resumed`, its figures to date): one that does not is damaged."""
        if [ap_id for ap_id, _ in summary.groups] != [ap_id for ap_id, _ in self.groups[office]]:
            return False
        if len(summary.capped) != len(self.targets[office]):
            return False
        span = self.layout.office_span[office]
        keys = len(self.layout.office_keys[office])
        try:
            if rows:
                status, achieved = summary.status, summary.achieved
                if len(status) != len(span) or len(achieved) != len(span):
                    return False
                if status.translate(None, ROW_BYTES):
                    return False
                if not all(0 <= k < keys and isinstance(f, float) for k, f in summary.secured):
                    return False
            if not resumed:
                return True
            carries = {j - span.start for j in self.running[office]}
            return all(len(s) == 4 and s[0] in carries for s in summary.states)
        except (ValueError, TypeError):
            return False

    def summary(self, snap: Snapshot, running: dict[int, ToDate], office: str) -> Summary:
        groups = snap.group_figures()
        span, keys = self.layout.office_span[office], self.layout.office_keys[office]
        capped = (snap.capped(j) for j in self.targets[office])
        status = (STATUS_CODE[s] for s in snap.status[span.start : span.stop])
        notes = snap.notes[span.start : span.stop]
        return Summary(
            groups=[(ap_id, groups[g]) for ap_id, g in self.groups[office]],
            capped=array("d", (NONE if c is None else c for c in capped)),
            carried=json.dumps(
                [
                    (j - span.start, *running[j].state)
                    for j in self.running[office]
                    if running[j].count
                ]
            ),
            rows=Summary.pack(
                bytes(code | n << STATUS_BITS for code, n in zip(status, notes, strict=True)),
                array(
                    "d", (NONE if a is None else a for a in snap.achieved[span.start : span.stop])
                ),
            ),
            funds=json.dumps(
                [(k - keys.start, float(f)) for k in keys if (f := snap.funds.get(k)) is not None]
            ),
        )

    def resume(self, running: dict[int, ToDate], office: str, summary: Summary) -> None:
        """Set the office's figures to date in `running` as they stood in `summary`."""
        start = self.layout.office_span[office].start
        for local, *state in summary.states:
            running[start + local] = ToDate.resumed(running[start + local].rule, state)


def snapshot(layout: Layout, period: Period, of_office: dict[str, Summary]) -> Snapshot:
    """The layout's rows as of `period` from its offices' summaries (`charted`), without reading
    them: the statuses, figures, notes and funds a report shows and compares; the rows' texts
    are read for the rows it lists (`matrix.report.build`)."""
    status: list[str] = []
    achieved: list[float | None] = []
    notes: list[bytes] = []
    funds: dict[int, float] = {}
    for office in layout.offices:
        summary = of_office[office]
        status += map(STATUS_ORDER.__getitem__, summary.status.translate(STATUS_OF_BYTE))
        notes.append(summary.status.translate(NOTES_OF_BYTE))
        achieved += [None if isnan(a) else a for a in summary.achieved]
        first = layout.office_keys[office].start
        funds.update((first + k, f) for k, f in summary.secured)
    groups = {office: iter(summary.groups) for office, summary in of_office.items()}
    in_order = [next(groups[office])[1] for office, _ in layout.groups]  # numbered in this order
    return Snapshot(
        layout, period, [None] * len(status), achieved, status, in_order, b"".join(notes), funds
    )


def inputs(plan: Plan, submissions: Iterable[Submission], periods: list[str]) -> dict[Key, str]:
    """(office, period) -> digest of what its summary is worked out from: this release, the plan
    version, and the returns that count with rows of the office in that period and every stored
    one before (`periods`, in order)."""
    counting: dict[Key, list[int]] = defaultdict(list)
    for s in submissions:
        if s.counts and s.period:
            for country in s.countries:
                counting[(country, s.period)].append(s.id)
    base = f"{FORMAT}:{__version__}:{plan_index(plan).content_hash}".encode()
    found = {}
    for office in expected_offices(plan):
        digest = hashlib.sha256(base)
        for period in periods:
            digest.update(f"|{period}:{sorted(counting.get((office, period), []))}".encode())
            found[(office, period)] = digest.hexdigest()
    return found


def usable(stored: Iterable[StoredSummary], wanted: dict[Key, str]) -> dict[Key, Summary]:
    """The kept summaries still worked out from what counts now (a damaged one is not)."""
    found = {}
    for s in stored:
        if wanted.get((s.office, s.period)) == s.inputs:
            try:
                found[(s.office, s.period)] = Summary.read(s)
            except (ValueError, TypeError):
                continue
    return found


def complete(
    plan: Plan,
    data: ReportData,
    offices: list[str],
    periods: list[Period],
    known: dict[Key, Summary],
    *,
    laid_out: Layout | None = None,
) -> dict[Key, Summary]:
    """Every office's summary as of every one of `periods` (stored periods, in order; the last
    may have no returns yet): the `known` ones, and the others worked out from the rows, each
    office from the first period it lacks on, its figures to date resumed from the summary
    before. `laid_out`: a layout of `offices` to use when every one lacks some (a report's,
    rather than laying them out again)."""
    lacking = [o for o in offices if any((o, p.id) not in known for p in periods)]
    if lacking:
        reuse = laid_out is not None and laid_out.offices == lacking
        layout = laid_out if laid_out is not None and reuse else Layout(plan, lacking)
        where = Offices(layout)
        known = {
            key: s
            for key, s in known.items()
            if key[0] not in where.targets or where.fits(key[0], s, resumed=True)
        }
    found = {(o, p.id): known[(o, p.id)] for o in offices for p in periods if (o, p.id) in known}
    if not lacking:
        return found
    start = min(i for i, p in enumerate(periods) for o in lacking if (o, p.id) not in known)
    running = running_figures(layout)
    if start:
        for office in layout.offices:
            where.resume(running, office, known[(office, periods[start - 1].id)])
    for snap in snapshots(layout, data, periods[start], periods[-1], running=running, brief=True):
        for office in layout.offices:
            found[(office, snap.period.id)] = where.summary(snap, running, office)
    return found


def charted(
    layout: Layout, data: ReportData, periods: list[Period], compared: Collection[str]
) -> list[tuple[Period, Figures, dict[str, Summary]]]:
    """Each of `periods` (stored ones up to the reported one, and that one, in order) with the
    figures of the layout's offices together and each office's summary, those of the `compared`
    period ids with their rows (`snapshot`)."""
    where = Offices(layout)
    whole = set(compared)
    known = {
        (office, period): s
        for (office, period), s in data.summaries.items()
        if office in where.targets and where.fits(office, s, rows=period in whole)
    }
    found = complete(layout.plan, data, layout.offices, periods, known, laid_out=layout)
    out = []
    for period in periods:
        of_office = {office: found[(office, period.id)] for office in layout.offices}
        total = Figures()
        for summary in of_office.values():
            for _, figures in summary.groups:
                total.add(figures)
        out.append((period, total, of_office))
    return out
