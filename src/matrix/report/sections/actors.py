"""The actors section: who leads and supports what, and how what each leads is going."""

from __future__ import annotations

from collections import defaultdict

from matrix.models.plan import Plan, Status
from matrix.report.context import ActorRow
from matrix.report.counting import Snapshot
from matrix.report.sections.figures import status_bar
from matrix.report.words import Words


def actor_rows(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> list[ActorRow]:
    """Actors with most to do first: what each leads and supports, how what it leads is going."""
    layout = now.layout
    leads: dict[str, int] = defaultdict(int)
    partners: dict[str, int] = defaultdict(int)
    where: dict[str, set[str]] = defaultdict(set)
    for office, activity_id in layout.keys:
        activity = layout.activity[activity_id]
        if activity.lead:
            leads[activity.lead] += 1
            where[activity.lead].add(office)
        for partner in activity.partners:
            partners[partner] += 1
            where[partner].add(office)
    rows = []
    for actor in plan.actors:
        led = now.figures(lead=actor.id)
        rows.append(
            ActorRow(
                id=actor.id,
                name=words.text(actor.name),
                type_label=words.actor_type(actor.type.value),
                leads=leads[actor.id],
                partners_in=partners[actor.id],
                status=status_bar(led, words),
                average_progress=led.average,
                delayed=led.counts[Status.DELAYED.value],
                offices=sorted(where[actor.id], key=offices.index),
            )
        )
    return sorted(rows, key=lambda a: (-(a.leads + a.partners_in), a.id))
