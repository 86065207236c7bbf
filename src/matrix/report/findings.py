"""What the report points out beyond progress: gaps, likely duplicated effort, data-quality
warnings."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import islice

from matrix.models.issues import Issue, Severity
from matrix.models.plan import Plan
from matrix.periods import Period
from matrix.plan import plan_index
from matrix.report.context import Duplicate, Gaps, QualityWarning
from matrix.report.counting import Layout
from matrix.report.data import ReportData
from matrix.report.words import Words

DUPLICATE_THRESHOLD = 0.75
"""difflib.SequenceMatcher ratio of the normalised titles' words from which two activities by
different leads in the same office are shown as likely duplicates. 0.75 catches rewordings such as
"Joint training of border, police and immigration officials" / "Training of border and immigration
officials" (0.86) and "Adopt counter-trafficking legislation" / "Adopt anti-trafficking legislation"
(0.75), while leaving apart activities that merely share a topic word. Words rather than letters:
the same verdicts on real titles, at a fraction of the cost on a plan with thousands of them."""
MAX_LOOKALIKES = 10
"""Most look-alikes an activity is compared with word by word and paired with: real plans have a
few; thousands of near-identical activities would otherwise make the search and the pairs
quadratic."""
MAX_CANDIDATES = 50
"""Titles met through rare words that an activity weighs by shared words (cheap) before
comparing."""


def gaps(plan: Plan, layout: Layout, offices: list[str], words: Words) -> Gaps:
    framework = plan_index(plan).framework
    used = {ap.id for ap in layout.action_point.values() if ap is not None}
    per_action_point = []
    for ap in framework.action_points:
        missing = [o for o in offices if not layout.has(office=o, action_point=ap)]
        if ap.id in used and missing:
            per_action_point.append(
                f"{words.action_point(ap)}: {', '.join(words.office(o) for o in missing)}"
            )
    activities = list(layout.activity.values())
    return Gaps(
        action_points_without_activity=[
            words.action_point(ap) for ap in framework.action_points if ap.id not in used
        ],
        offices_without_activity=[words.office(o) for o in offices if not layout.has(office=o)],
        action_point_office_gaps=per_action_point,
        activities_without_lead=[f"{a.id} {words.text(a.title)}" for a in activities if not a.lead],
        activities_without_indicator=[
            f"{a.id} {words.text(a.title)}" for a in activities if not a.indicators
        ],
        indicators_without_target=[
            f"{a.id}: {words.text(i.name)}"
            for a in activities
            for i in a.indicators
            if i.target is None
        ],
    )


def normalise_title(title: str) -> tuple[str, ...]:
    """The title's words: case, Unicode forms, punctuation and spacing do not make activities
    different."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return tuple(re.sub(r"[^\w\s]", " ", text).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(
        None, normalise_title(a), normalise_title(b), autojunk=False
    ).ratio()


def similar_titles(
    titles: set[tuple[str, ...]],
) -> dict[tuple[str, ...], dict[tuple[str, ...], float]]:
    """Normalised title -> {alike title: ratio}, itself included, at most MAX_LOOKALIKES others.

    Comparing every pair is quadratic, and offices control the input: a return may propose thousands
    of near-identical activities. Two titles can only reach the threshold if their words overlap
    enough (difflib's quick_ratio bound, 2 x shared words / total words), and then they share one of
    their few rarest words (a prefix filter: when at least 60 % of a title's words are shared, the
    pair has one in common among the title's first 40 % + 1 words in a fixed rarest-first order).
    So a title meets, through its rare words, at most MAX_CANDIDATES earlier titles (the nearest in
    length and spelling order first), weighs them by the bound, and compares word by word the
    MAX_LOOKALIKES that could be most alike and still have room: work and pairs grow linearly. Real
    plans never reach these caps, so they get every pair the exhaustive search would find.
    """
    ordered = sorted(titles, key=lambda words: (len(words), words))
    as_words = [
        frozenset((word, title[:i].count(word)) for i, word in enumerate(title))
        for title in ordered
    ]
    # Each (word, occurrence) as its rank among them all: sets of small ints intersect several
    # times faster than sets of tuples, whose hashes Python does not keep, in the same order.
    rank = {token: n for n, token in enumerate(sorted(set().union(*as_words)))}
    tokens = [frozenset(rank[token] for token in own) for own in as_words]
    frequency = Counter(token for own in tokens for token in own)
    # Least share of a title's words any alike pair has in common: as the longer title of the pair
    # (the one looking), and as the shorter one (already seen, in length order).
    looking, seen_share = DUPLICATE_THRESHOLD / (2 - DUPLICATE_THRESHOLD), DUPLICATE_THRESHOLD
    seen: dict[int, list[int]] = defaultdict(list)
    alike = {title: {title: 1.0} for title in ordered}
    matchers: dict[int, difflib.SequenceMatcher] = {}  # difflib indexes its second sequence once
    for i, a in enumerate(ordered):
        rarest = sorted(tokens[i], key=lambda token: (frequency[token], token))
        met = _nearest_met(seen, rarest[: len(a) - max(1, math.floor(looking * len(a))) + 1])
        for token in rarest[: len(a) - max(1, math.floor(seen_share * len(a))) + 1]:
            seen[token].append(i)
        bounds = sorted(
            ((2 * len(tokens[i] & tokens[j]) / (len(a) + len(ordered[j])), j) for j in met),
            key=lambda bound_j: (-bound_j[0], -bound_j[1]),
        )
        for bound, j in bounds[:MAX_LOOKALIKES]:
            if bound < DUPLICATE_THRESHOLD:
                break
            b = ordered[j]
            if len(alike[b]) > MAX_LOOKALIKES:
                continue
            if (matcher := matchers.get(j)) is None:
                matcher = matchers[j] = difflib.SequenceMatcher(None, b=b, autojunk=False)
            matcher.set_seq1(a)
            if (ratio := matcher.ratio()) >= DUPLICATE_THRESHOLD:
                alike[a][b] = alike[b][a] = ratio
    return alike


def _nearest_met(seen: dict[int, list[int]], words: list[int]) -> list[int]:
    """Up to MAX_CANDIDATES titles seen under these words: rarest word first and, for each word,
    the titles seen last first."""
    met: dict[int, None] = {}
    for token in words:
        for j in reversed(seen.get(token, ())):
            met[j] = None
            if len(met) == MAX_CANDIDATES:
                return list(met)
    return list(met)


def office_pairs(
    items: dict[str, tuple[tuple[str, ...], str]],
    alike: dict[tuple[str, ...], dict[tuple[str, ...], float]],
) -> list[tuple]:
    """Alike pairs of one office's activities (shown as -> (words, lead)) with different leads, in
    the office's order: (first index, second index, first, lead, second, lead, ratio). An activity
    is the second of at most MAX_LOOKALIKES pairs, so thousands of copies of one title stay
    linear."""
    earlier: dict[tuple[str, ...], dict[str, list[tuple[int, str, str]]]] = defaultdict(dict)
    """Title -> casefolded lead -> (index, shown, lead) of the activities before, by lead so that
    copies with the same lead are passed over at once."""
    pairs: list[tuple] = []
    for second_index, (second, (title, lead)) in enumerate(items.items()):
        if not lead:
            continue
        own = lead.casefold()
        found = (
            (first_index, second_index, first, first_lead, second, lead, ratio)
            for alike_title, ratio in alike[title].items()
            for other, firsts in earlier.get(alike_title, {}).items()
            if other != own
            for first_index, first, first_lead in reversed(firsts)
        )
        pairs += islice(found, MAX_LOOKALIKES)
        earlier[title].setdefault(own, []).append((second_index, second, lead))
    return sorted(pairs)


def likely_duplicates(
    layout: Layout, data: ReportData, period: Period, offices: list[str], words: Words, limit: int
) -> tuple[list[Duplicate], int]:
    """Similar activities by different lead actors in the same office (plan activities and the ones
    offices added on the New activities sheet): the first `limit` pairs, and how many there are.
    Offices with the same plan activities and no additions of their own share one search."""
    proposed = data.periods[period.id].proposed if period.id in data.periods else {}
    per_office: dict[
        str, dict[str, tuple[tuple[str, ...], str]]
    ] = {}  # office -> shown as -> (words, lead)
    planned = {
        a.id: (f"{a.id} {words.text(a.title)}", (normalise_title(a.title), a.lead or ""))
        for a in layout.activity.values()
    }
    of_activities: dict[tuple[str, ...], dict[str, tuple[tuple[str, ...], str]]] = {}
    for office in offices:
        applicable = layout.applicable[office]
        if (items := of_activities.get(applicable)) is None:
            items = of_activities[applicable] = dict(planned[a] for a in applicable)
        if added := proposed.get(office):
            items = dict(items)
            for activity in added:
                items.setdefault(
                    activity.title, (normalise_title(activity.title), activity.lead.strip())
                )
        per_office[office] = items
    distinct = {id(items): items for items in per_office.values()}.values()
    alike = similar_titles({title for items in distinct for title, _ in items.values()})
    found: list[Duplicate] = []
    total = 0
    shared: dict[tuple[str, ...], list[tuple]] = {}  # offices counting the same activities
    for office, items in per_office.items():
        if proposed.get(office):
            pairs = office_pairs(items, alike)
        else:
            applicable = layout.applicable[office]
            if applicable not in shared:
                shared[applicable] = office_pairs(items, alike)
            pairs = shared[applicable]
        total += len(pairs)
        found += [
            Duplicate(
                office=office,
                office_name=words.office(office),
                first=first,
                first_lead=lead_a,
                second=second,
                second_lead=lead_b,
                similarity=100 * ratio,
            )
            for _, _, first, lead_a, second, lead_b, ratio in pairs[: limit - len(found)]
        ]
    return found, total


def like_plan_activities(layout: Layout, titles: Iterable[str]) -> dict[str, tuple[str, float]]:
    """Title an office proposed -> ('ID Title' of the plan activity it most resembles, ratio 0-1),
    for the titles at least DUPLICATE_THRESHOLD alike one: a proposal the plan may already have.
    The same bounded search as `likely_duplicates`, over every plan activity (a proposal may repeat
    what the plan has for another office)."""
    planned: dict[tuple[str, ...], str] = {}
    for activity in layout.activity.values():
        planned.setdefault(normalise_title(activity.title), f"{activity.id} {activity.title}")
    proposed = {title: normalise_title(title) for title in titles}
    if not proposed:
        return {}
    alike = similar_titles(set(planned) | set(proposed.values()))
    found = {}
    for title, words in proposed.items():
        best = max(
            ((ratio, planned[other]) for other, ratio in alike[words].items() if other in planned),
            default=None,
        )
        if best is not None:
            found[title] = (best[1], best[0])
    return found


def place(issue: Issue) -> str:
    """'Matrix!J7': where in the workbook; the report names the file next to it."""
    if issue.sheet and issue.cell:
        return f"{issue.sheet}!{issue.cell}"
    return issue.sheet or ""


def quality(
    data: ReportData,
    period: Period,
    offices: list[str],
    words: Words,
    *,
    severity: Severity = Severity.WARNING,
) -> list[QualityWarning]:
    """The warnings validation found in the returns that count for the period: accepted, not
    replaced; with `severity` info, the notes on how the plan changed since their matrices were
    generated."""
    counted = [
        (sub.office, sub)
        for sub in data.submissions
        if sub.period == period.id
        and sub.accepted
        and not sub.superseded
        and sub.office is not None
        and sub.office in offices
    ]
    counted.sort(key=lambda pair: (offices.index(pair[0]), pair[1].received_at))
    return [
        QualityWarning(
            office_name=words.office(office),
            file=sub.file_name,
            where=place(issue),
            code=issue.code,
            message=words.issue(issue),
        )
        for office, sub in counted
        for issue in sub.problems
        if issue.severity is severity
    ]
