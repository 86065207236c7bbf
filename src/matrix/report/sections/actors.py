"""The actors section: who leads and supports what, and how what each leads is going."""

from __future__ import annotations

from collections import defaultdict

from matrix.models.plan import Plan, Status
from matrix.report.context import ActorRow
from matrix.report.counting import Key, Snapshot
from matrix.report.sections.figures import status_bar
from matrix.report.words import Words


def actor_rows(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> list[ActorRow]:
    """Actors with most to do first: what each leads and supports, how what it leads is going."""
    layout = now.layout
    leads: dict[str, list[Key]] = defaultdict(list)
    partners: dict[str, list[Key]] = defaultdict(list)
    for key in layout.keys:
        activity = layout.activity[key[1]]
        if activity.lead:
            leads[activity.lead].append(key)
        for partner in activity.partners:
            partners[partner].append(key)
    rows = []
    for actor in plan.actors:
        led = now.figures(lead=actor.id)
        led_keys, partner_keys = leads[actor.id], partners[actor.id]
        rows.append(
            ActorRow(
                id=actor.id,
                name=words.text(actor.name),
                type_label=words.actor_type(actor.type.value),
                leads=len(led_keys),
                partners_in=len(partner_keys),
                leads_activities=len({a for _, a in led_keys}),
                leads_offices=len({o for o, _ in led_keys}),
                leads_text=spread(led_keys, words),
                partner_activities=len({a for _, a in partner_keys}),
                partner_offices=len({o for o, _ in partner_keys}),
                partner_text=spread(partner_keys, words),
                status=status_bar(led, words),
                average_progress=led.average,
                delayed=led.counts[Status.DELAYED.value],
                offices=sorted({o for o, _ in led_keys + partner_keys}, key=offices.index),
            )
        )
    return sorted(rows, key=lambda a: (-(a.leads + a.partners_in), a.id))


def spread(keys: list[Key], words: Words) -> str:
    """'1 activity in 7 countries': plan activities, each once, and where they are counted (the
    region's office is 'region-wide'); empty for none."""
    if not keys:
        return ""
    offices = {office for office, _ in keys}
    countries = len(offices & set(words.plan.countries))
    activities = words.count("report.count.activities", len({a for _, a in keys}))
    if not countries:
        return words.label("report.count.spread_region").format(activities=activities)
    where = words.count("report.count.countries", countries)
    if len(offices) > countries:
        where = words.label("report.count.and").format(
            first=where, second=words.label("report.count.region_wide")
        )
    return words.label("report.count.spread").format(activities=activities, where=where)
