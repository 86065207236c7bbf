"""Hypothesis strategies for valid plans: every field the plan model has, each in the forms a
plan may take (an action point by id or by number, countries left to the plan's or listed, a
framework built in or the plan's own), and only cross-references `plan check` accepts.

`plans()` draws a `Plan` that loads and passes `plan check` without errors (warnings allowed:
an action point with no activity is a gap, not a mistake). Reusable by any test that needs plans:

    @given(plan=plans())
    def test_something(plan): ...
"""

from __future__ import annotations

from datetime import date, timedelta

import pycountry
from hypothesis import strategies as st

from matrix.frameworks import builtin_framework, builtin_names
from matrix.models.plan import (
    OVERVIEW_DEFAULT_HEADINGS,
    ActionPoint,
    Activity,
    Actor,
    ActorType,
    Framework,
    Frequency,
    Guidance,
    Iati,
    IatiOrganisation,
    IatiRegion,
    Indicator,
    Objective,
    Overview,
    OverviewHeading,
    Plan,
    PlanGuidance,
    Region,
    Reporting,
    Scope,
)

COUNTRIES = sorted(c.alpha_3 for c in pycountry.countries)
CURRENCIES = sorted(c.alpha_3 for c in pycountry.currencies)
IATI_TYPES = ["10", "21", "22", "40", "60", "80"]
FIRST_PERIODS = {
    Frequency.MONTHLY: st.builds(
        lambda y, m: f"{y}-{m:02d}", st.integers(2000, 2099), st.integers(1, 12)
    ),
    Frequency.QUARTERLY: st.builds(
        lambda y, q: f"{y}-Q{q}", st.integers(2000, 2099), st.integers(1, 4)
    ),
    Frequency.HALF_YEARLY: st.builds(
        lambda y, h: f"{y}-H{h}", st.integers(2000, 2099), st.integers(1, 2)
    ),
    Frequency.ANNUAL: st.integers(2000, 2099).map(str),
}

ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,11}", fullmatch=True)
"""Letters, digits, '-' and '_', as plan ids must be."""
indicator_ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,11}", fullmatch=True)
"""Indicator ids that cannot be taken for an indicator's position."""
_words = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S")),
    min_size=1,
    max_size=12,
) | st.sampled_from(
    [
        "Train",
        "border",
        "officials",
        "=SUM(A1)",
        "2026",
        "yes",
        "null",
        "l'accueil",
        "تدريب",
        "Ñandú",
        "_x0041_",
        "- item",
        "#tag",
        "a: b",
    ]
)
texts = st.lists(_words, min_size=1, max_size=6).map(" ".join)
"""What people write in titles and names: words in any script, punctuation, numbers, and text
that looks like a formula, a number, a YAML value or an escape."""
descriptions = st.just("") | texts | st.lists(texts, min_size=2, max_size=3).map("\n".join)
numbers = (
    st.integers(0, 10**9).map(float)
    | st.decimals(0, 10**7, places=2).map(float)
    | st.floats(0, 1e12, allow_nan=False, allow_infinity=False)
)
"""Whole numbers, amounts with cents, and any finite number at all."""
dates = st.dates(date(1850, 1, 1), date(2100, 12, 31))


@st.composite
def frameworks(draw) -> str | Framework:
    if draw(st.booleans()):
        return draw(st.sampled_from(builtin_names()))
    count = draw(st.integers(1, 4))
    ap_ids = draw(st.lists(ids, min_size=count, max_size=count, unique_by=str.lower))
    numbers_ = draw(st.lists(st.integers(1, 99), min_size=count, max_size=count, unique=True))
    guidance = st.none() | st.builds(
        Guidance,
        stakeholders=st.dictionaries(
            st.sampled_from(["en", "fr", "ar"]), st.lists(texts, min_size=1, max_size=2), max_size=2
        ),
        unhcr_support=st.dictionaries(
            st.sampled_from(["en", "es"]), st.lists(texts, min_size=1, max_size=2), max_size=1
        ),
    )
    action_points = [
        ActionPoint(
            number=n,
            id=i,
            title=draw(texts),
            description=draw(descriptions),
            guidance=draw(guidance),
        )
        for i, n in zip(ap_ids, numbers_, strict=True)
    ]
    return Framework(id=draw(ids), title=draw(texts), action_points=action_points)


def _action_points(framework: str | Framework) -> list[ActionPoint]:
    resolved = framework if isinstance(framework, Framework) else builtin_framework(framework)
    return resolved.action_points


@st.composite
def indicators(draw) -> Indicator:
    target = draw(st.none() | numbers)
    unit = draw(texts) if target is not None else draw(st.none() | texts)  # a target needs a unit
    return Indicator(
        name=draw(texts),
        unit=unit,
        baseline=draw(numbers),
        target=target,
        cumulative=draw(st.booleans()) or "%" in (unit or ""),  # a percentage is never summed
    )


@st.composite
def indicator_lists(draw) -> list[Indicator]:
    """Up to three indicators, some with an id (unique in the activity, never a position)."""
    drawn = draw(st.lists(indicators(), max_size=3))
    count = len(drawn)
    names = draw(st.lists(indicator_ids, min_size=count, max_size=count, unique_by=str.lower))
    given = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    return [
        indicator.model_copy(update={"id": name}) if give else indicator
        for indicator, name, give in zip(drawn, names, given, strict=True)
    ]


@st.composite
def activities(draw, activity_id: str, actor_ids: list[str], countries: list[str]) -> Activity:
    start = draw(st.none() | dates)
    end = draw(
        st.none()
        | (st.integers(0, 2000).map(lambda d: start + timedelta(days=d)) if start else dates)
    )
    budget = draw(st.none() | numbers)
    return Activity(
        id=activity_id,
        title=draw(texts),
        description=draw(descriptions),
        lead=draw(st.none() | st.sampled_from(actor_ids)),
        partners=draw(st.lists(st.sampled_from(actor_ids), unique=True, max_size=3)),
        countries=draw(
            st.none() | st.lists(st.sampled_from(countries), unique=True, max_size=len(countries))
        ),
        regional=draw(st.booleans()),
        indicators=draw(indicator_lists()),
        start=start,
        end=end,
        budget=budget,
        currency=draw(st.none() | st.sampled_from(CURRENCIES)) if budget is not None else None,
    )


localised = texts | st.dictionaries(
    st.sampled_from(["en", "fr", "ar"]), texts, min_size=1, max_size=3
)
"""A text in one language, or one per language."""
suggestions = st.dictionaries(
    st.sampled_from(["en", "fr", "es", "ar"]), st.lists(texts, min_size=1, max_size=2), max_size=2
)


@st.composite
def plan_guidance(draw, action_points: list[ActionPoint]) -> dict[str, PlanGuidance] | None:
    """Guidance for some action points, each named by its id or its number."""
    chosen = draw(st.lists(st.sampled_from(action_points), unique_by=lambda ap: ap.id, max_size=2))
    if not chosen:
        return None
    return {
        str(draw(st.sampled_from([ap.id, ap.number]))): PlanGuidance(
            stakeholders=draw(suggestions),
            unhcr_support=draw(suggestions),
            replace=draw(st.booleans()),
        )
        for ap in chosen
    }


@st.composite
def overviews(draw) -> Overview:
    built_in = st.builds(OverviewHeading, id=st.sampled_from(OVERVIEW_DEFAULT_HEADINGS))
    own = st.builds(
        OverviewHeading,
        id=ids.filter(lambda i: i not in OVERVIEW_DEFAULT_HEADINGS),
        title=localised,
        hint=st.none() | localised,
        required=st.none() | st.booleans(),
        max_length=st.none() | st.integers(50, 10_000),
    )
    headings = draw(st.lists(built_in | own, min_size=1, max_size=4, unique_by=lambda h: h.id))
    return Overview(
        headings=headings, required=draw(st.booleans()), max_length=draw(st.integers(50, 10_000))
    )


@st.composite
def iati_settings(draw) -> Iati:
    org = st.builds(
        IatiOrganisation,
        ref=st.from_regex(r"XM-DAC-[0-9]{3,6}", fullmatch=True),
        type=st.sampled_from(IATI_TYPES),
        name=texts,
    )
    region = st.builds(
        IatiRegion,
        code=st.sampled_from(["289", "298", "1027"]),
        vocabulary=st.sampled_from(["1", "2"]),
    )
    return Iati(
        reporting_org=draw(st.none() | org),
        default_language=draw(st.sampled_from(["en", "fr"])),
        region=draw(st.none() | region),
    )


@st.composite
def plans(draw, max_activities: int = 6) -> Plan:
    """A valid plan: it loads, and `plan check` finds no error in it."""
    scope = draw(st.sampled_from(list(Scope)))
    countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True))
    actor_ids = draw(st.lists(ids, min_size=1, max_size=5, unique_by=str.lower))
    actors = [
        Actor(
            id=i,
            name=draw(texts),
            type=draw(st.sampled_from(list(ActorType))),
            iati_ref=draw(st.none() | st.from_regex(r"XM-DAC-[0-9]{3,6}", fullmatch=True)),
            iati_type=draw(st.none() | st.sampled_from(IATI_TYPES)),
        )
        for i in actor_ids
    ]
    framework = draw(frameworks())
    action_points = _action_points(framework)
    objective_ids = draw(st.lists(ids, max_size=3, unique_by=str.lower))
    activity_ids = iter(
        draw(st.lists(ids, min_size=max_activities, max_size=max_activities, unique_by=str.lower))
    )
    objectives = []
    for objective_id in objective_ids:
        ap = draw(st.sampled_from(action_points))
        count = draw(st.integers(0, max(0, max_activities // max(len(objective_ids), 1))))
        objectives.append(
            Objective(
                id=objective_id,
                action_point=draw(st.sampled_from([ap.id, ap.number])),
                title=draw(texts),
                activities=[
                    draw(activities(next(activity_ids), actor_ids, countries)) for _ in range(count)
                ],
            )
        )
    frequency = draw(st.sampled_from(list(Frequency)))
    region = st.builds(Region, code=ids, name=texts)
    return Plan(
        schema_version=1,
        id=draw(ids),
        title=draw(texts),
        scope=scope,
        framework=framework,
        region=draw(region if scope is not Scope.NATIONAL else st.none() | region),
        countries=countries,
        currency=draw(st.sampled_from(CURRENCIES)),
        reporting=Reporting(
            frequency=frequency,
            first_period=draw(FIRST_PERIODS[frequency]),
            due_days=draw(st.integers(0, 365)),
            send_to=draw(st.just("") | texts),
        ),
        actors=actors,
        objectives=objectives,
        iati=draw(st.none() | iati_settings()),
        guidance=draw(plan_guidance(action_points)),
        overview=draw(st.none() | overviews()),
    )
