"""What the report points out beyond progress: gaps, likely duplicated effort, data-quality warnings."""

from __future__ import annotations

import difflib
import re
import unicodedata

from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.periods import Period
from matrix.report.context import Duplicate, Gaps, QualityWarning
from matrix.report.counting import Snapshot, office_rows
from matrix.report.data import ReportData
from matrix.report.words import Words

DUPLICATE_THRESHOLD = 0.75
"""difflib.SequenceMatcher ratio of normalised titles from which two activities by different leads
in the same office are shown as likely duplicates. 0.75 catches rewordings such as "Joint training
of border officials on mixed movements" / "Training of border officials on mixed movements" while
leaving apart activities that merely share a topic word."""


def gaps(plan: Plan, now: Snapshot, offices: list[str], words: Words) -> Gaps:
    framework = plan.resolved_framework
    used = {ap.id for ap in now.action_point.values() if ap is not None}
    per_action_point = []
    for ap in framework.action_points:
        missing = [o for o in offices if not now.keys(office=o, action_point=ap)]
        if ap.id in used and missing:
            per_action_point.append(f"{words.action_point(ap)}: {', '.join(words.office(o) for o in missing)}")
    activities = list(now.activity.values())
    return Gaps(
        action_points_without_activity=[words.action_point(ap) for ap in framework.action_points if ap.id not in used],
        offices_without_activity=[words.office(o) for o in offices if not now.keys(office=o)],
        action_point_office_gaps=per_action_point,
        activities_without_lead=[f"{a.id} {a.title}" for a in activities if not a.lead],
        activities_without_indicator=[f"{a.id} {a.title}" for a in activities if not a.indicators],
        indicators_without_target=[f"{a.id}: {i.name}" for a in activities for i in a.indicators if i.target is None],
    )


def normalise_title(title: str) -> str:
    """Case, Unicode forms, punctuation and spacing do not make two activities different."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise_title(a), normalise_title(b)).ratio()


def likely_duplicates(plan: Plan, data: ReportData, period: Period, offices: list[str], words: Words) -> list[Duplicate]:
    """Similar activities by different lead actors in the same office: plan activities and the
    ones offices added on the New activities sheet."""
    proposed = data.periods[period.id].proposed if period.id in data.periods else {}
    found = []
    for office in offices:
        items: dict[str, tuple[str, str]] = {}  # shown as -> (title, lead)
        for row in office_rows(plan, office):
            items[f"{row.activity.id} {row.activity.title}"] = (row.activity.title, row.activity.lead or "")
        for activity in proposed.get(office, []):
            items.setdefault(activity.title, (activity.title, activity.lead))
        listed = list(items.items())
        for i, (first, (title_a, lead_a)) in enumerate(listed):
            for second, (title_b, lead_b) in listed[i + 1 :]:
                if not lead_a or not lead_b or lead_a.strip().casefold() == lead_b.strip().casefold():
                    continue
                ratio = similarity(title_a, title_b)
                if ratio >= DUPLICATE_THRESHOLD:
                    found.append(Duplicate(
                        office=office, office_name=words.office(office), first=first, first_lead=lead_a,
                        second=second, second_lead=lead_b, similarity=100 * ratio,
                    ))
    return found


def place(issue: Issue) -> str:
    """'Matrix!J7': where in the workbook; the report names the file next to it."""
    if issue.sheet and issue.cell:
        return f"{issue.sheet}!{issue.cell}"
    return issue.sheet or ""


def quality(data: ReportData, period: Period, offices: list[str], words: Words) -> list[QualityWarning]:
    """The warnings validation found in the returns that count for the period: accepted, not replaced."""
    counted = [
        sub for sub in data.submissions
        if sub.period == period.id and sub.accepted and not sub.superseded and sub.office in offices
    ]
    counted.sort(key=lambda sub: (offices.index(sub.office), sub.received_at))
    return [
        QualityWarning(office_name=words.office(sub.office), file=sub.file, where=place(issue), code=issue.code,
                       message=issue.message)
        for sub in counted
        for issue in sub.issues
        if not issue.is_error
    ]
