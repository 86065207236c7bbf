"""Cross-reference checks on a well-formed plan: ids, actors, action points, countries, dates, gaps."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from matrix.codes import Code, did_you_mean
from matrix.countries import is_country, is_currency, suggest_countries, suggest_currencies
from matrix.frameworks import builtin_framework, builtin_names
from matrix.models.issues import Issue
from matrix.models.plan import (
    OVERVIEW_DEFAULT_HEADINGS,
    Activity,
    Framework,
    Indicator,
    PeriodRule,
    Plan,
    RegionalRule,
    Scope,
    ValueKind,
)
from matrix.periods import EXAMPLES, Period, PeriodOutOfRange
from matrix.plan.index import row_ref
from matrix.plan.lines import LineMap
from matrix.semantics import COMBINABLE, KIND_WORDS, OVER_PERIODS, RATIO_PARTS


def _guess(value: str, known: list[str]) -> list[str]:
    by_case = [k for k in known if k.lower() == value.lower()]
    return by_case or difflib.get_close_matches(value, known, n=1, cutoff=0.6)


def check_plan(plan: Plan, lines: LineMap, file: str) -> list[Issue]:
    issues: list[Issue] = []

    def add(rule: Code, path: tuple, **params) -> None:
        issues.append(rule.issue(file=file, line=lines.line(path), **params))

    framework = _framework(plan, add)
    _check_unique_ids(plan, lines, add)
    _check_countries(plan, add)
    _check_reporting(plan, add)
    actor_ids = [a.id for a in plan.actors]
    rows = _indicator_rows(plan)
    used_action_points = set()
    for oi, objective in enumerate(plan.objectives):
        opath = ("objectives", oi)
        if framework is not None:
            ap = framework.action_point(objective.action_point)
            if ap is None:
                refs = [p.id for p in framework.action_points]
                add(Code.UNKNOWN_ACTION_POINT, (*opath, "action_point"), objective=objective.id,
                    ref=objective.action_point, framework=framework.id, hint=did_you_mean(_guess(str(objective.action_point), refs)))
            elif objective.activities:
                used_action_points.add(ap.id)
        for ai, activity in enumerate(objective.activities):
            apath = (*opath, "activities", ai)
            issues += _check_activity(plan, activity, apath, actor_ids, lines, file)
            for ii, indicator in enumerate(activity.indicators):
                _check_semantics(plan, activity, indicator, rows,
                                 lambda code, sub, p=(*apath, "indicators", ii), **k: add(code, (*p, *sub), **k))
    if framework is not None:
        for ap in framework.action_points:
            if ap.id not in used_action_points:
                add(Code.EMPTY_ACTION_POINT, ("objectives",), ap=ap.id, title=ap.title)
        _check_guidance(plan, framework, add)
    _check_overview(plan, add)
    return issues


def _check_guidance(plan: Plan, framework: Framework, add) -> None:
    refs = [ap.id for ap in framework.action_points]
    for key in plan.guidance or {}:
        if framework.action_point(key) is None:
            add(Code.GUIDANCE_UNKNOWN_ACTION_POINT, ("guidance", key), ref=key,
                framework=framework.id, hint=did_you_mean(_guess(key, refs)))


def _check_overview(plan: Plan, add) -> None:
    if plan.overview is None:
        return
    for i, heading in enumerate(plan.overview.headings):
        if heading.title is None and heading.id not in OVERVIEW_DEFAULT_HEADINGS:
            add(Code.OVERVIEW_HEADING_UNKNOWN, ("overview", "headings", i), id=heading.id,
                known=", ".join(OVERVIEW_DEFAULT_HEADINGS))


def _framework(plan: Plan, add) -> Framework | None:
    if isinstance(plan.framework, Framework):
        return plan.framework
    try:
        return builtin_framework(plan.framework)
    except KeyError:
        known = builtin_names()
        add(Code.UNKNOWN_FRAMEWORK, ("framework",), name=plan.framework,
            hint=did_you_mean(_guess(plan.framework, known)), known=", ".join(known))
        return None


def _ids(plan: Plan) -> Iterator[tuple[str, str, tuple]]:
    for i, actor in enumerate(plan.actors):
        yield "actor", actor.id, ("actors", i, "id")
    if isinstance(plan.framework, Framework):
        for i, ap in enumerate(plan.framework.action_points):
            yield "action point", ap.id, ("framework", "action_points", i, "id")
    for i, heading in enumerate(plan.overview.headings if plan.overview else []):
        yield "overview heading", heading.id, ("overview", "headings", i)
    for oi, objective in enumerate(plan.objectives):
        yield "objective", objective.id, ("objectives", oi, "id")
        for ai, activity in enumerate(objective.activities):
            yield "activity", activity.id, ("objectives", oi, "activities", ai, "id")


def _check_unique_ids(plan: Plan, lines: LineMap, add) -> None:
    first: dict[tuple[str, str], tuple] = {}
    for kind, ident, path in _ids(plan):
        key = (kind, ident.lower())
        if key in first:
            add(Code.DUPLICATE_ID, path, kind=kind, id=ident, first_line=lines.line(first[key]))
        else:
            first[key] = path


def _check_countries(plan: Plan, add) -> None:
    for i, code in enumerate(plan.countries):
        if not is_country(code):
            guesses = suggest_countries(code)
            add(Code.UNKNOWN_COUNTRY, ("countries", i), code=code, hint=did_you_mean(guesses))
    if not is_currency(plan.currency):
        add(Code.UNKNOWN_CURRENCY, ("currency",), code=plan.currency, hint=did_you_mean(suggest_currencies(plan.currency)))
    if plan.scope in (Scope.REGIONAL, Scope.GLOBAL) and plan.region is None:
        add(Code.REGIONAL_WITHOUT_REGION, ("scope",), scope=plan.scope.value)


def _check_reporting(plan: Plan, add) -> None:
    frequency = plan.reporting.frequency
    try:
        period = Period.parse(plan.reporting.first_period)
        matches = period.frequency == frequency
    except PeriodOutOfRange as exc:
        add(Code.INVALID_VALUE, ("reporting", "first_period"), where="reporting", reason=f"first_period {exc}",
            value=plan.reporting.first_period)
        return
    except ValueError:
        matches = False
    if not matches:
        add(Code.PERIOD_MISMATCH, ("reporting", "first_period"), period=plan.reporting.first_period,
            frequency=frequency.value, example=EXAMPLES[frequency])


def _check_activity(plan: Plan, activity, path: tuple, actor_ids: list[str], lines: LineMap, file: str) -> list[Issue]:
    issues: list[Issue] = []

    def add(rule: Code, sub: tuple, **params) -> None:
        issues.append(rule.issue(file=file, line=lines.line((*path, *sub)), **params))

    what = f"activity {activity.id}"
    if activity.lead is None:
        add(Code.ACTIVITY_WITHOUT_LEAD, ("id",), activity=activity.id)
    elif activity.lead not in actor_ids:
        guess = _guess(activity.lead, actor_ids)
        issues.append(Code.UNKNOWN_ACTOR.issue(file=file, line=lines.line((*path, "lead")), what=what, role="lead actor",
                                               actor=activity.lead, hint=did_you_mean(guess), fix=guess[0] if guess else None))
    for i, partner in enumerate(activity.partners):
        if partner not in actor_ids:
            guess = _guess(partner, actor_ids)
            issues.append(Code.UNKNOWN_ACTOR.issue(file=file, line=lines.line((*path, "partners", i)), what=what, role="partner",
                                                   actor=partner, hint=did_you_mean(guess), fix=guess[0] if guess else None))
    for i, code in enumerate(activity.countries or []):
        if not is_country(code):
            add(Code.UNKNOWN_COUNTRY, ("countries", i), code=code, hint=did_you_mean(suggest_countries(code)))
        elif code not in plan.countries:
            add(Code.COUNTRY_NOT_IN_PLAN, ("countries", i), activity=activity.id, code=code, countries=", ".join(plan.countries))
    if activity.countries == [] and not activity.regional:
        add(Code.ACTIVITY_WITHOUT_COUNTRY, ("countries",), activity=activity.id)
    if activity.start and activity.end and activity.end < activity.start:
        add(Code.END_BEFORE_START, ("end",), activity=activity.id, start=activity.start, end=activity.end)
    if activity.currency and not is_currency(activity.currency):
        add(Code.UNKNOWN_CURRENCY, ("currency",), code=activity.currency, hint=did_you_mean(suggest_currencies(activity.currency)))
    if not activity.indicators:
        add(Code.ACTIVITY_WITHOUT_INDICATOR, ("id",), activity=activity.id)
    for i, indicator in enumerate(activity.indicators):
        kind = indicator.value_kind
        if indicator.target is None and kind is not ValueKind.DATE:
            add(Code.INDICATOR_WITHOUT_TARGET, ("indicators", i), activity=activity.id, indicator=indicator.name)
        elif indicator.target is not None and not indicator.unit and kind in UNIT_NEEDED:
            add(Code.TARGET_WITHOUT_UNIT, ("indicators", i, "target"), activity=activity.id, indicator=indicator.name)
    return issues


UNIT_NEEDED = frozenset({ValueKind.COUNT, ValueKind.NUMBER})
"""Kinds whose figures mean nothing without a unit (a percentage, an amount in the plan's
currency, a yes/no and a date say what they are)."""


def _indicator_rows(plan: Plan) -> dict[str, tuple[Activity, Indicator]]:
    """Every indicator row of the plan by ref, as a ratio's numerator and denominator name them."""
    return {
        row_ref(activity, i): (activity, indicator)
        for _, activity in plan.activities()
        for i, indicator in enumerate(activity.indicators)
    }


def _choices(rules: frozenset, order: type) -> str:
    """'cumulative, latest or max'."""
    names = [rule.value for rule in order if rule in rules]
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def _check_semantics(
    plan: Plan, activity: Activity, indicator: Indicator,
    rows: dict[str, tuple[Activity, Indicator]], add,
) -> None:
    """The indicator's declared kind, period rule and regional total fit together, and a ratio
    names two countable rows of the plan."""
    kind, rule, regional = indicator.value_kind, indicator.period_rule, indicator.regional_rule
    named = {"activity": activity.id, "indicator": indicator.name, "kind": KIND_WORDS[kind]}
    if rule not in OVER_PERIODS[kind]:
        add(Code.INDICATOR_PERIODS_KIND, ("periods" if indicator.periods else "cumulative",),
            **named, how=rule.value, choices=_choices(OVER_PERIODS[kind], PeriodRule))
    if indicator.periods is not None and "cumulative" in indicator.model_fields_set and (
        indicator.periods is (PeriodRule.PER_PERIOD if indicator.cumulative else PeriodRule.CUMULATIVE)
    ):
        add(Code.INDICATOR_CUMULATIVE_CONFLICT, ("cumulative",), **named,
                cumulative=str(indicator.cumulative).lower(), periods=indicator.periods.value)
    if kind is ValueKind.DATE and indicator.target is not None:
        add(Code.INDICATOR_DATE_TARGET, ("target",), **named)
    if regional not in COMBINABLE[kind]:
        add(Code.INDICATOR_REGIONAL_KIND, ("regional_total",), **named, how=regional.value,
            choices=_choices(COMBINABLE[kind], RegionalRule))
    parts = {"numerator": indicator.numerator, "denominator": indicator.denominator}
    if regional is not RegionalRule.RATIO:
        for field, ref in parts.items():
            if ref is not None:
                add(Code.RATIO_WITHOUT_RATIO, (field,), **named, field=field, how=regional.value)
        return
    if kind is not ValueKind.PERCENT:
        add(Code.RATIO_NOT_PERCENT, ("regional_total",), **named)
    countries = set(plan.activity_countries(activity))
    for field, ref in parts.items():
        if ref is None:
            add(Code.RATIO_PARTS_MISSING, ("regional_total",), **named, missing=field,
                example=", ".join(list(rows)[:2]))
            continue
        found = rows.get(ref.strip())
        if found is None:
            add(Code.RATIO_PART_UNKNOWN, (field,), **named, field=field, ref=ref,
                hint=did_you_mean(_guess(ref, list(rows))))
            continue
        part_activity, part = found
        if part is indicator:
            add(Code.RATIO_PART_ITSELF, (field,), **named, field=field)
        elif part.value_kind not in RATIO_PARTS:
            add(Code.RATIO_PART_KIND, (field,), **{**named, "kind": KIND_WORDS[part.value_kind]},
                field=field, ref=ref)
        elif missing := sorted(countries - set(plan.activity_countries(part_activity))):
            add(Code.RATIO_PART_COUNTRIES, (field,), **named, field=field, ref=ref,
                countries=", ".join(missing))
