"""Cross-reference checks on a well-formed plan: ids, actors, action points, countries, dates, gaps."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from matrix.codes import Code, did_you_mean
from matrix.countries import is_country, is_currency, suggest_countries, suggest_currencies
from matrix.frameworks import builtin_framework, builtin_names
from matrix.i18n import LANGUAGES, action_point_title_param, phrase
from matrix.models.issues import Issue
from matrix.models.plan import OVERVIEW_DEFAULT_HEADINGS, Framework, Plan, Scope, has_language
from matrix.periods import EXAMPLES, Period, PeriodOutOfRange, frequency_name
from matrix.plan.lines import LineMap


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
    _check_languages(plan, add)
    actor_ids = [a.id for a in plan.actors]
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
            issues += _check_activity(plan, activity, (*opath, "activities", ai), actor_ids, lines, file)
    if framework is not None:
        for ap in framework.action_points:
            if ap.id not in used_action_points:
                add(Code.EMPTY_ACTION_POINT, ("objectives",), ap=ap.id, title=action_point_title_param(framework, ap))
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
                known=list(OVERVIEW_DEFAULT_HEADINGS))


def _framework(plan: Plan, add) -> Framework | None:
    if isinstance(plan.framework, Framework):
        return plan.framework
    try:
        return builtin_framework(plan.framework)
    except KeyError:
        known = builtin_names()
        add(Code.UNKNOWN_FRAMEWORK, ("framework",), name=plan.framework,
            hint=did_you_mean(_guess(plan.framework, known)), known=known)
        return None


def _ids(plan: Plan) -> Iterator[tuple[str, str, tuple]]:
    for i, actor in enumerate(plan.actors):
        yield "actor", actor.id, ("actors", i, "id")
    if isinstance(plan.framework, Framework):
        for i, ap in enumerate(plan.framework.action_points):
            yield "action_point", ap.id, ("framework", "action_points", i, "id")
    for i, heading in enumerate(plan.overview.headings if plan.overview else []):
        yield "overview_heading", heading.id, ("overview", "headings", i)
    for oi, objective in enumerate(plan.objectives):
        yield "objective", objective.id, ("objectives", oi, "id")
        for ai, activity in enumerate(objective.activities):
            yield "activity", activity.id, ("objectives", oi, "activities", ai, "id")


def _check_unique_ids(plan: Plan, lines: LineMap, add) -> None:
    first: dict[tuple[str, str], tuple] = {}
    for kind, ident, path in _ids(plan):
        key = (kind, ident.lower())
        if key in first:
            add(Code.DUPLICATE_ID, path, kind=phrase(f"plan.kind.{kind}"), id=ident,
                first_line=lines.line(first[key]))
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
        add(Code.REGIONAL_WITHOUT_REGION, ("scope",), scope=phrase(f"scope.{plan.scope.value}"))


def _check_languages(plan: Plan, add) -> None:
    """Languages matrix can write a workbook in, for offices of the plan; for each language an
    office works in, the texts the plan does not translate (shown in the plan's language)."""
    if plan.language not in LANGUAGES:
        add(Code.LANGUAGE_NOT_AVAILABLE, ("language",), field="language", lang=plan.language,
            languages=list(LANGUAGES))
    offices = [*plan.countries, *([plan.region.code] if plan.region else [])]
    in_language: dict[str, list[str]] = {}
    for office, lang in plan.office_languages.items():
        if office not in offices:
            add(Code.OFFICE_LANGUAGE_NOT_IN_PLAN, ("office_languages", office), office=office, offices=offices)
        elif lang not in LANGUAGES:
            add(Code.LANGUAGE_NOT_AVAILABLE, ("office_languages", office), field=f"office_languages.{office}",
                lang=lang, languages=list(LANGUAGES))
        elif lang != plan.language:
            in_language.setdefault(lang, []).append(office)
    for lang, speakers in in_language.items():
        texts = {path: (path, where, text) for office in speakers for path, where, text in shown_texts(plan, office)}
        missing = [(path, where) for path, where, text in texts.values() if not has_language(text, lang, plan.language)]
        if missing:
            path, where = missing[0]
            add(Code.TRANSLATION_MISSING, path, offices=speakers, language=phrase(f"language.{lang}"),
                count=len(missing), total=len(texts), first=where, default=phrase(f"language.{plan.language}"))


def shown_texts(plan: Plan, office: str) -> Iterator[tuple[tuple, dict[str, object], str]]:
    """(path, where, text) of every plan text the workbook of `office` shows."""
    def field(kind: str, ident: str, name: str) -> dict[str, object]:
        where = phrase("plan.where.named", kind=phrase(f"plan.kind.{kind}"), id=ident)
        return phrase("plan.text_of", where=where, field=name)

    plain = phrase("plan.where.plan")
    regional = plan.region is not None and office == plan.region.code
    yield ("title",), phrase("plan.text_of", where=plain, field="title"), plan.title
    if plan.reporting.send_to:
        yield (("reporting", "send_to"), phrase("plan.text_of", where=plain, field="reporting.send_to"),
               plan.reporting.send_to)
    if regional and plan.region is not None:
        yield ("region", "name"), phrase("plan.text_of", where=plain, field="region.name"), plan.region.name
    if isinstance(plan.framework, Framework):
        for i, ap in enumerate(plan.framework.action_points):
            yield ("framework", "action_points", i, "title"), field("action_point", ap.id, "title"), ap.title
    for i, actor in enumerate(plan.actors):
        yield ("actors", i, "name"), field("actor", actor.id, "name"), actor.name
    for oi, objective in enumerate(plan.objectives):
        shown = [  # a regional workbook has every country's sheet and the region-wide one
            (ai, a) for ai, a in enumerate(objective.activities)
            if (a.regional or bool(plan.activity_countries(a)) if regional else office in plan.activity_countries(a))
        ]
        if shown:
            yield ("objectives", oi, "title"), field("objective", objective.id, "title"), objective.title
        for ai, activity in shown:
            base = ("objectives", oi, "activities", ai)
            yield (*base, "title"), field("activity", activity.id, "title"), activity.title
            for ii, indicator in enumerate(activity.indicators):
                yield (*base, "indicators", ii, "name"), field("activity", activity.id, "indicator"), indicator.name
                if indicator.unit:
                    yield (*base, "indicators", ii, "unit"), field("activity", activity.id, "unit"), indicator.unit


def _check_reporting(plan: Plan, add) -> None:
    frequency = plan.reporting.frequency
    try:
        period = Period.parse(plan.reporting.first_period)
        matches = period.frequency == frequency
    except PeriodOutOfRange as exc:
        add(Code.INVALID_VALUE, ("reporting", "first_period"), where="reporting", reason=exc.as_phrase(),
            value=plan.reporting.first_period)
        return
    except ValueError:
        matches = False
    if not matches:
        add(Code.PERIOD_MISMATCH, ("reporting", "first_period"), period=plan.reporting.first_period,
            frequency=frequency_name(frequency), example=EXAMPLES[frequency])


def _check_activity(plan: Plan, activity, path: tuple, actor_ids: list[str], lines: LineMap, file: str) -> list[Issue]:
    issues: list[Issue] = []

    def add(rule: Code, sub: tuple, **params) -> None:
        issues.append(rule.issue(file=file, line=lines.line((*path, *sub)), **params))

    if activity.lead is None:
        add(Code.ACTIVITY_WITHOUT_LEAD, ("id",), activity=activity.id)
    elif activity.lead not in actor_ids:
        guess = _guess(activity.lead, actor_ids)
        issues.append(Code.UNKNOWN_ACTOR.issue(
            file=file, line=lines.line((*path, "lead")), activity=activity.id, role=phrase("plan.role.lead"),
            actor=activity.lead, hint=did_you_mean(guess), fix=guess[0] if guess else None))
    for i, partner in enumerate(activity.partners):
        if partner not in actor_ids:
            guess = _guess(partner, actor_ids)
            issues.append(Code.UNKNOWN_ACTOR.issue(
                file=file, line=lines.line((*path, "partners", i)), activity=activity.id,
                role=phrase("plan.role.partner"), actor=partner, hint=did_you_mean(guess),
                fix=guess[0] if guess else None))
    for i, code in enumerate(activity.countries or []):
        if not is_country(code):
            add(Code.UNKNOWN_COUNTRY, ("countries", i), code=code, hint=did_you_mean(suggest_countries(code)))
        elif code not in plan.countries:
            add(Code.COUNTRY_NOT_IN_PLAN, ("countries", i), activity=activity.id, code=code, countries=plan.countries)
    if activity.countries == [] and not activity.regional:
        add(Code.ACTIVITY_WITHOUT_COUNTRY, ("countries",), activity=activity.id)
    if activity.start and activity.end and activity.end < activity.start:
        add(Code.END_BEFORE_START, ("end",), activity=activity.id, start=activity.start, end=activity.end)
    if activity.currency and not is_currency(activity.currency):
        add(Code.UNKNOWN_CURRENCY, ("currency",), code=activity.currency, hint=did_you_mean(suggest_currencies(activity.currency)))
    if not activity.indicators:
        add(Code.ACTIVITY_WITHOUT_INDICATOR, ("id",), activity=activity.id)
    for i, indicator in enumerate(activity.indicators):
        if indicator.target is None:
            add(Code.INDICATOR_WITHOUT_TARGET, ("indicators", i), activity=activity.id, indicator=indicator.name)
        elif not indicator.unit:
            add(Code.TARGET_WITHOUT_UNIT, ("indicators", i, "target"), activity=activity.id, indicator=indicator.name)
    return issues
