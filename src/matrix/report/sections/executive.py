"""The executive page: what was achieved this period, where the money falls shortest, and what
the offices ask of partners (the decisions put to the committee), each kept short enough for one
printed page with the headline figures; the sections below hold the rest."""

from __future__ import annotations

from matrix.models.plan import Status
from matrix.report.context import Achievement, Ask, FundingRow, PartnerAsk
from matrix.report.counting import ASKS, Layout, Snapshot
from matrix.report.sections.funding import funding_rows
from matrix.report.words import Words

SHOWN = 5
"""Entries per list on the executive page."""


def achievements(
    now: Snapshot, before: Snapshot | None, words: Words
) -> tuple[list[Achievement], int]:
    """Activities completed and targets reached this period (not already by the previous one),
    the first SHOWN, and how many there are. An activity completed this period is listed once, as
    completed, not again for the targets it reached."""
    layout, completed = now.layout, Status.COMPLETED.value
    found: list[tuple[int, str]] = []  # (row, what); put into words only for the SHOWN ones
    completed_now = set()
    for k, status in enumerate(now.key_status):
        if status == completed and (before is None or before.key_status[k] != completed):
            found.append((layout.key_first[k], "report.exec.completed_now"))
            completed_now.add(k)
    for j in layout.with_target:
        p, was = now.progress[j], before.progress[j] if before else None
        if (
            p is not None
            and p >= 100
            and (was is None or was < 100)
            and layout.row_key[j] not in completed_now
        ):
            found.append((j, "report.exec.target_now"))
    shown = [_achievement(now, j, words.label(what), words) for j, what in found[:SHOWN]]
    return shown, len(found)


def _achievement(now: Snapshot, j: int, what: str, words: Words) -> Achievement:
    row = now.layout.rows[j]
    return Achievement(
        office_name=words.office(now.layout.row_office[j]),
        ref=row.ref,
        activity=row.activity.title,
        what=what,
    )


def largest_gaps(layout: Layout, secured: dict[str, float]) -> list[FundingRow]:
    """The SHOWN budgeted activities furthest from their requirement."""
    rows = funding_rows(
        {a: (f"{a} {layout.activity[a].title}", [a]) for a in layout.activity_ids}, layout, secured
    )
    return sorted((r for r in rows if r.funding.gap > 0), key=lambda r: -r.funding.gap)[:SHOWN]


def asking(now: Snapshot) -> dict[str, list[int]]:
    """Partner -> the rows whose office wrote what support it needs, most asked partner first;
    the rows under each partner's first SHOWN are those whose texts the report reads."""
    layout = now.layout
    grouped: dict[str, list[int]] = {}
    for j, notes in enumerate(now.notes):
        if notes & ASKS:
            activity = layout.rows[j].activity
            for partner in activity.partners or [activity.lead or ""]:
                grouped.setdefault(partner, []).append(j)
    return dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))


def partner_asks(now: Snapshot, asked: dict[str, list[int]], words: Words) -> list[PartnerAsk]:
    """Every 'support needed' an office wrote (`asking`), under each partner of its activity
    (activities without partners under their lead; with neither, under 'no partner named')."""
    names = {a.id: a.name for a in words.plan.actors}
    return [
        PartnerAsk(
            partner=partner,
            name=names.get(partner, partner) or words.label("report.exec.no_partner"),
            asks=[ask(now, j, words) for j in rows[:SHOWN]],
            more=max(0, len(rows) - SHOWN),
        )
        for partner, rows in asked.items()
    ]


def ask(now: Snapshot, j: int, words: Words) -> Ask:
    layout, reported = now.layout, now.reported[j]
    assert reported is not None  # read for the rows shown (`matrix.report.build`)
    return Ask(
        office_name=words.office(layout.row_office[j]),
        ref=layout.rows[j].ref,
        activity=layout.rows[j].activity.title,
        text=reported.support_needed.strip(),
    )
