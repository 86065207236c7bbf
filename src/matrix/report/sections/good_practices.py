"""Good practices laid out as the 10-Point Plan in Action compendium lays them out: the activity or
initiative, its years and action point, then background and rationale, actors, actions, review and
further information. The report's section and `matrix compendium` both build them here."""

from __future__ import annotations

from datetime import date

from matrix.models.returns import GoodPractice, Narratives
from matrix.report.context import Practice, PracticeLink
from matrix.report.words import Words


def practices(office: str, period: str, narratives: Narratives, words: Words) -> list[Practice]:
    """The good practices one return describes, in the order the office wrote them."""
    initiatives = {i.ref: i for i in narratives.initiatives}
    found = []
    for practice in narratives.good_practices:
        initiative = initiatives.get(practice.initiative_ref or "")
        activity = words.activity(practice.activity_id) if practice.activity_id else None
        if activity is not None:
            ap = words.activity_action_point(activity.id)
            subject = words.sentence(
                "report.practice.activity", ref=activity.id, title=activity.title
            )
            start, end = activity.start, activity.end
        elif initiative is not None:
            ap = words.framework.action_point(initiative.action_point or "")
            subject = words.sentence(
                "report.practice.initiative", ref=initiative.ref, title=initiative.title
            )
            start, end = initiative.start, initiative.end
        else:  # validation accepts no practice without one; a damaged store row is still shown
            ap, subject, start, end = None, "", None, None
        found.append(_entry(office, period, practice, ap, subject, years(start, end, words), words))
    return found


def _entry(
    office, period, practice: GoodPractice, ap, subject: str, span: str, words: Words
) -> Practice:
    return Practice(
        anchor=f"practice-{office.lower()}-{period.lower()}-{practice.row}",
        title=practice.title,
        office=office,
        office_name=words.office(office),
        period=period,
        action_point=words.action_point(ap)
        if ap
        else words.label("report.stock_take.no_action_point"),
        action_point_id=ap.id if ap else None,
        subject=subject,
        years=span,
        background=practice.background,
        actors=practice.actors,
        actions=practice.actions,
        review=practice.review,
        links=[PracticeLink(text=link.text, url=link.url) for link in practice.further_information],
    )


def years(start: date | None, end: date | None, words: Words) -> str:
    """'2025–2027', '2024–present' or '2026', as the compendium dates its examples."""
    if start is None and end is None:
        return ""
    first = str(start.year) if start else "…"
    last = str(end.year) if end else words.label("report.practice.present")
    return first if first == last else f"{first}–{last}"
