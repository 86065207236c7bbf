"""What the report points out beyond progress: gaps, likely duplicated effort, data-quality warnings."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.periods import Period
from matrix.report.context import Duplicate, Gaps, QualityWarning
from matrix.report.counting import History, Snapshot
from matrix.report.data import ReportData
from matrix.report.words import Words

DUPLICATE_THRESHOLD = 0.75
"""difflib.SequenceMatcher ratio of the normalised titles' words from which two activities by
different leads in the same office are shown as likely duplicates. 0.75 catches rewordings such as
"Joint training of border, police and immigration officials" / "Training of border and immigration
officials" (0.86) and "Adopt counter-trafficking legislation" / "Adopt anti-trafficking legislation"
(0.75), while leaving apart activities that merely share a topic word. Words rather than letters:
the same verdicts on real titles, at a fraction of the cost on a plan with thousands of them."""


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


def normalise_title(title: str) -> tuple[str, ...]:
    """The title's words: case, Unicode forms, punctuation and spacing do not make activities different."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return tuple(re.sub(r"[^\w\s]", " ", text).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalise_title(a), normalise_title(b), autojunk=False).ratio()


def similar_titles(titles: set[tuple[str, ...]]) -> dict[tuple[str, ...], dict[tuple[str, ...], float]]:
    """Normalised title -> {alike title: ratio}, itself included: each distinct pair compared once,
    cheap upper bounds first (a long plan repeats titles, and most pairs differ in length)."""
    ordered = sorted(titles, key=lambda words: (len(words), words))
    alike = {title: {title: 1.0} for title in ordered}
    for i, a in enumerate(ordered):
        matcher = difflib.SequenceMatcher(None, b=a, autojunk=False)
        for b in ordered[i + 1 :]:
            if 2 * len(a) < DUPLICATE_THRESHOLD * (len(a) + len(b)):
                break  # every later title is longer still
            matcher.set_seq1(b)
            if matcher.quick_ratio() >= DUPLICATE_THRESHOLD and (ratio := matcher.ratio()) >= DUPLICATE_THRESHOLD:
                alike[a][b] = alike[b][a] = ratio
    return alike


def likely_duplicates(
    history: History, data: ReportData, period: Period, offices: list[str], words: Words, limit: int
) -> tuple[list[Duplicate], int]:
    """Similar activities by different lead actors in the same office (plan activities and the ones
    offices added on the New activities sheet): the first `limit` pairs, and how many there are."""
    proposed = data.periods[period.id].proposed if period.id in data.periods else {}
    per_office: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {}  # office -> shown as -> (words, lead)
    for office in offices:
        items = {}
        for row in history.office_rows(office):
            items[f"{row.activity.id} {row.activity.title}"] = (normalise_title(row.activity.title), row.activity.lead or "")
        for activity in proposed.get(office, []):
            items.setdefault(activity.title, (normalise_title(activity.title), activity.lead.strip()))
        per_office[office] = items
    alike = similar_titles({title for items in per_office.values() for title, _ in items.values()})
    found: list[Duplicate] = []
    total = 0
    for office, items in per_office.items():
        order = {shown: i for i, shown in enumerate(items)}
        by_title: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
        for shown, (title, lead) in items.items():
            by_title[title].append((shown, lead))
        pairs = [
            (order[first], order[second], first, lead_a, second, lead_b, ratio)
            for title_a, group in by_title.items()
            for title_b, ratio in alike[title_a].items()
            for first, lead_a in group
            for second, lead_b in by_title.get(title_b, ())
            if order[first] < order[second] and lead_a and lead_b and lead_a.casefold() != lead_b.casefold()
        ]
        total += len(pairs)
        found += [
            Duplicate(office=office, office_name=words.office(office), first=first, first_lead=lead_a, second=second,
                      second_lead=lead_b, similarity=100 * ratio)
            for _, _, first, lead_a, second, lead_b, ratio in sorted(pairs)[: limit - len(found)]
        ]
    return found, total


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
