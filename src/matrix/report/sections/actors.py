"""The actors section: who leads and supports what, and how what each leads is going."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from matrix.models.plan import Plan, Status
from matrix.report.context import ActorRow
from matrix.report.counting import Snapshot
from matrix.report.sections.figures import status_bar
from matrix.report.words import Words


@dataclass
class Counted:
    """The counted activities of one actor's role (leads or partner in): how many, which plan
    activities, in which offices."""

    keys: int = 0
    activities: set[str] = field(default_factory=set)
    offices: set[str] = field(default_factory=set)

    def add(self, activity_id: str, offices: list[str]) -> None:
        self.keys += len(offices)
        self.activities.add(activity_id)
        self.offices.update(offices)


def actor_rows(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> list[ActorRow]:
    """Actors with most to do first: what each leads and supports, how what it leads is going."""
    layout = now.layout
    counted_in: dict[str, list[str]] = defaultdict(list)  # per plan activity, not per office
    for office, activity_id in layout.keys:
        counted_in[activity_id].append(office)
    leads: dict[str, Counted] = defaultdict(Counted)
    partners: dict[str, Counted] = defaultdict(Counted)
    for activity_id, where in counted_in.items():
        activity = layout.activity[activity_id]
        if activity.lead:
            leads[activity.lead].add(activity_id, where)
        for partner in activity.partners:
            partners[partner].add(activity_id, where)
    rows = []
    for actor in plan.actors:
        led = now.figures(lead=actor.id)
        leading, supporting = leads[actor.id], partners[actor.id]
        rows.append(
            ActorRow(
                id=actor.id,
                name=words.text(actor.name),
                type_label=words.actor_type(actor.type.value),
                leads=leading.keys,
                partners_in=supporting.keys,
                leads_activities=len(leading.activities),
                leads_offices=len(leading.offices),
                leads_text=spread(leading, words),
                partner_activities=len(supporting.activities),
                partner_offices=len(supporting.offices),
                partner_text=spread(supporting, words),
                status=status_bar(led, words),
                average_progress=led.average,
                delayed=led.counts[Status.DELAYED.value],
                offices=[o for o in offices if o in leading.offices or o in supporting.offices],
            )
        )
    return sorted(rows, key=lambda a: (-(a.leads + a.partners_in), a.id))


def spread(counted: Counted, words: Words) -> str:
    """'1 activity in 7 countries': plan activities, each once, and where they are counted (the
    region's office is 'region-wide'); empty for none."""
    if not counted.keys:
        return ""
    offices = counted.offices
    countries = len(offices & set(words.plan.countries))
    activities = words.count("report.count.activities", len(counted.activities))
    if not countries:
        return words.label("report.count.spread_region").format(activities=activities)
    where = words.count("report.count.countries", countries)
    if len(offices) > countries:
        where = words.label("report.count.and").format(
            first=where, second=words.label("report.count.region_wide")
        )
    return words.label("report.count.spread").format(activities=activities, where=where)
