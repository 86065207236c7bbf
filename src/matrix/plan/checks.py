"""Cross-reference checks on a plan: ids, actors, action points, countries, dates, gaps.

They also run over a plan whose schema failed, repaired by `salvage` (so one run reports
everything); then findings that only repeat a schema problem are skipped and lines are the plan's.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from enum import Enum

from matrix.codes import Code, did_you_mean
from matrix.countries import is_country, is_currency, suggest_countries, suggest_currencies
from matrix.frameworks import builtin_framework, builtin_names
from matrix.i18n import LANGUAGES, action_point_title_param, phrase
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
    has_language,
)
from matrix.periods import EXAMPLES, Period, PeriodOutOfRange, frequency_name
from matrix.plan.index import row_ref
from matrix.plan.lines import Locations, Path_
from matrix.plan.salvage import Salvage
from matrix.semantics import COMBINABLE, OVER_PERIODS, RATIO_PARTS


def _guess(value: str, known: list[str]) -> list[str]:
    by_case = [k for k in known if k.lower() == value.lower()]
    return by_case or difflib.get_close_matches(value, known, n=1, cutoff=0.6)


def _squeezed(ref: str) -> str:
    """'AP-03', 'ap 3' and 'AP3' alike: lower case, no separators, no leading zeros."""
    return re.sub(r"0+(?=\d)", "", re.sub(r"[^a-z0-9]", "", ref.lower()))


def action_point_guess(ref: object, framework: Framework) -> list[str]:
    """The action point a reference was meant to be: the same id written differently, or a title.
    Never a near id: 'AP11' is not a typo of 'AP1' in a framework of ten."""
    text = str(ref).strip()
    same = [ap.id for ap in framework.action_points if _squeezed(ap.id) == _squeezed(text)]
    titles = {ap.title.lower(): ap.id for ap in framework.action_points}
    by_title = difflib.get_close_matches(text.lower(), list(titles), n=1, cutoff=0.6)
    return same or [titles[t] for t in by_title]


def _unknown_action_point(
    check: _Checker, rule: Code, path: Path_, ref: object, framework: Framework, **params
) -> None:
    """An action point that is not in the framework, with the framework's own listed."""
    guess = action_point_guess(ref, framework)
    known = ", ".join(ap.id for ap in framework.action_points)
    check.add(
        rule,
        path,
        ref=ref,
        framework=framework.id,
        hint=did_you_mean(guess),
        known=known,
        fix=guess[0] if guess else None,
        **params,
    )


class _Checker:
    """Findings with their lines; over a salvaged plan, without those a schema problem explains."""

    def __init__(self, plan: Plan, lines: Locations, file: str, salvaged: Salvage | None) -> None:
        self.plan, self.file, self.salvaged = plan, file, salvaged
        self.place = (lambda path: {"line": salvaged.line(path)}) if salvaged else lines.place
        self.describe = (
            (lambda path: phrase("plan.where.line", line=salvaged.line(path)))
            if salvaged
            else lines.describe
        )
        self.issues: list[Issue] = []
        self.mistyped_countries = [code for code in plan.countries if not is_country(code)]

    def add(self, rule: Code, path: Path_, *, fix: str | None = None, **params) -> None:
        if self.salvaged:
            if self.salvaged.skips(rule, path):
                return
            params = {name: self.salvaged.as_written(value) for name, value in params.items()}
        self.issues.append(rule.issue(file=self.file, **self.place(path), fix=fix, **params))

    def failed(self, path: Path_) -> bool:
        return self.salvaged is not None and self.salvaged.under_failed(path)


def check_plan(
    plan: Plan, lines: Locations, file: str, salvaged: Salvage | None = None
) -> list[Issue]:
    """Every cross-reference finding; `salvaged` when `plan` is a repaired plan whose schema
    failed."""
    check = _Checker(plan, lines, file, salvaged)
    framework = _framework(plan, check)
    _check_unique_ids(plan, check)
    _check_countries(plan, check)
    _check_reporting(plan, check)
    _check_languages(plan, check)
    actor_ids = [a.id for a in plan.actors]
    rows = _indicator_rows(plan)
    if salvaged:
        actor_ids += sorted(salvaged.known_ids(("actors",)))
    used_action_points = set()
    for oi, objective in enumerate(plan.objectives):
        opath = ("objectives", oi)
        if framework is not None:
            ap = framework.action_point(objective.action_point)
            if ap is None:
                _unknown_action_point(
                    check,
                    Code.UNKNOWN_ACTION_POINT,
                    (*opath, "action_point"),
                    objective.action_point,
                    framework,
                    objective=objective.id,
                )
            elif objective.activities:
                used_action_points.add(ap.id)
        for ai, activity in enumerate(objective.activities):
            apath = (*opath, "activities", ai)
            _check_activity(plan, activity, apath, actor_ids, check)
            for ii, indicator in enumerate(activity.indicators):
                _check_semantics(
                    plan,
                    activity,
                    indicator,
                    rows,
                    lambda code, sub, p=(*apath, "indicators", ii), **k: check.add(
                        code, (*p, *sub), **k
                    ),
                )
    if framework is not None:
        for ap in framework.action_points:
            if ap.id not in used_action_points:
                check.add(
                    Code.EMPTY_ACTION_POINT,
                    ("objectives",),
                    ap=ap.id,
                    title=action_point_title_param(framework, ap),
                )
        _check_guidance(plan, framework, check)
    _check_overview(plan, check)
    return check.issues


def _check_guidance(plan: Plan, framework: Framework, check: _Checker) -> None:
    for key in plan.guidance or {}:
        if framework.action_point(key) is None:
            _unknown_action_point(
                check, Code.GUIDANCE_UNKNOWN_ACTION_POINT, ("guidance", key), key, framework
            )


def _check_overview(plan: Plan, check: _Checker) -> None:
    if plan.overview is None:
        return
    for i, heading in enumerate(plan.overview.headings):
        if heading.title is None and heading.id not in OVERVIEW_DEFAULT_HEADINGS:
            check.add(
                Code.OVERVIEW_HEADING_UNKNOWN,
                ("overview", "headings", i),
                id=heading.id,
                known=list(OVERVIEW_DEFAULT_HEADINGS),
            )


def _framework(plan: Plan, check: _Checker) -> Framework | None:
    if isinstance(plan.framework, Framework):
        return plan.framework
    try:
        return builtin_framework(plan.framework)
    except KeyError:
        known = builtin_names()
        check.add(
            Code.UNKNOWN_FRAMEWORK,
            ("framework",),
            name=plan.framework,
            hint=did_you_mean(_guess(plan.framework, known)),
            known=known,
        )
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


def _check_unique_ids(plan: Plan, check: _Checker) -> None:
    first: dict[tuple[str, str], tuple] = {}
    for kind, ident, path in _ids(plan):
        key = (kind, ident.lower())
        if check.failed(path):  # a stand-in for an id that failed: its own problem is reported
            continue
        if key in first:
            check.add(
                Code.DUPLICATE_ID,
                path,
                kind=phrase(f"plan.kind.{kind}"),
                id=ident,
                first=check.describe(first[key]),
            )
        else:
            first[key] = path


def _meant_for(code: str, mistyped: list[str]) -> bool:
    """True when `code`, used by an activity, is what a mistyped plan country was meant to be."""
    return any(
        code in suggest_countries(bad)
        or difflib.SequenceMatcher(None, code, bad.upper()).ratio() >= 0.6
        for bad in mistyped
    )


def _check_countries(plan: Plan, check: _Checker) -> None:
    used = {c for _, a in plan.activities() for c in a.countries or [] if is_country(c)}
    for i, code in enumerate(plan.countries):
        if not is_country(code):
            meant = sorted(c for c in used - set(plan.countries) if _meant_for(c, [code]))
            guesses = meant or suggest_countries(code)
            check.add(
                Code.UNKNOWN_COUNTRY,
                ("countries", i),
                code=code,
                hint=did_you_mean(guesses),
                fix=guesses[0] if len(guesses) == 1 else None,
            )
    if not is_currency(plan.currency):
        guess = suggest_currencies(plan.currency)
        check.add(
            Code.UNKNOWN_CURRENCY, ("currency",), code=plan.currency, hint=did_you_mean(guess)
        )
    if plan.scope in (Scope.REGIONAL, Scope.GLOBAL) and plan.region is None:
        check.add(
            Code.REGIONAL_WITHOUT_REGION, ("scope",), scope=phrase(f"scope.{plan.scope.value}")
        )
    if plan.region is not None and plan.region.reports is False:
        region_wide = [a.id for _, a in plan.activities() if a.regional]
        if region_wide:
            check.add(
                Code.REGION_NOT_REPORTING,
                ("region", "reports"),
                region=plan.region.code,
                activities=", ".join(region_wide),
            )


def _check_languages(plan: Plan, check: _Checker) -> None:
    """Languages matrix can write a workbook in, for offices of the plan; for each language an
    office works in, the texts the plan does not translate (shown in the plan's language)."""
    if plan.language not in LANGUAGES:
        check.add(
            Code.LANGUAGE_NOT_AVAILABLE,
            ("language",),
            field="language",
            lang=plan.language,
            languages=list(LANGUAGES),
        )
    offices = [*plan.countries, *([plan.region.code] if plan.region else [])]
    in_language: dict[str, list[str]] = {}
    for office, lang in plan.office_languages.items():
        if office not in offices:
            check.add(
                Code.OFFICE_LANGUAGE_NOT_IN_PLAN,
                ("office_languages", office),
                office=office,
                offices=offices,
            )
        elif lang not in LANGUAGES:
            check.add(
                Code.LANGUAGE_NOT_AVAILABLE,
                ("office_languages", office),
                field=f"office_languages.{office}",
                lang=lang,
                languages=list(LANGUAGES),
            )
        elif lang != plan.language:
            in_language.setdefault(lang, []).append(office)
    for lang, speakers in in_language.items():
        texts = {
            path: (path, where, text)
            for office in speakers
            for path, where, text in shown_texts(plan, office)
        }
        missing = [
            (path, where)
            for path, where, text in texts.values()
            if not has_language(text, lang, plan.language)
        ]
        if missing:
            path, where = missing[0]
            check.add(
                Code.TRANSLATION_MISSING,
                path,
                offices=speakers,
                language=phrase(f"language.{lang}"),
                count=len(missing),
                total=len(texts),
                first=where,
                default=phrase(f"language.{plan.language}"),
            )


def shown_texts(plan: Plan, office: str) -> Iterator[tuple[tuple, dict[str, object], str]]:
    """(path, where, text) of every plan text the workbook of `office` shows."""

    def field(kind: str, ident: str, name: str) -> dict[str, object]:
        where = phrase("plan.where.named", kind=phrase(f"plan.kind.{kind}"), id=ident)
        return phrase("plan.text_of", where=where, field=name)

    plain = phrase("plan.where.plan")
    regional = plan.region is not None and office == plan.region.code
    yield ("title",), phrase("plan.text_of", where=plain, field="title"), plan.title
    if plan.reporting.send_to:
        yield (
            ("reporting", "send_to"),
            phrase("plan.text_of", where=plain, field="reporting.send_to"),
            plan.reporting.send_to,
        )
    if regional and plan.region is not None:
        yield (
            ("region", "name"),
            phrase("plan.text_of", where=plain, field="region.name"),
            plan.region.name,
        )
    if isinstance(plan.framework, Framework):
        for i, ap in enumerate(plan.framework.action_points):
            yield (
                ("framework", "action_points", i, "title"),
                field("action_point", ap.id, "title"),
                ap.title,
            )
    for i, actor in enumerate(plan.actors):
        yield ("actors", i, "name"), field("actor", actor.id, "name"), actor.name
    for oi, objective in enumerate(plan.objectives):
        shown = [  # a regional workbook has every country's sheet and the region-wide one
            (ai, a)
            for ai, a in enumerate(objective.activities)
            if (
                a.regional or bool(plan.activity_countries(a))
                if regional
                else office in plan.activity_countries(a)
            )
        ]
        if shown:
            yield (
                ("objectives", oi, "title"),
                field("objective", objective.id, "title"),
                objective.title,
            )
        for ai, activity in shown:
            base = ("objectives", oi, "activities", ai)
            yield (*base, "title"), field("activity", activity.id, "title"), activity.title
            for ii, indicator in enumerate(activity.indicators):
                yield (
                    (*base, "indicators", ii, "name"),
                    field("activity", activity.id, "indicator"),
                    indicator.name,
                )
                if indicator.unit:
                    yield (
                        (*base, "indicators", ii, "unit"),
                        field("activity", activity.id, "unit"),
                        indicator.unit,
                    )


def _check_reporting(plan: Plan, check: _Checker) -> None:
    frequency = plan.reporting.frequency
    try:
        period = Period.parse(plan.reporting.first_period)
        matches = period.frequency == frequency
    except PeriodOutOfRange as exc:
        check.add(
            Code.INVALID_VALUE,
            ("reporting", "first_period"),
            where="reporting",
            reason=exc.as_phrase(),
            value=plan.reporting.first_period,
        )
        return
    except ValueError:
        matches = False
    if not matches:
        check.add(
            Code.PERIOD_MISMATCH,
            ("reporting", "first_period"),
            period=plan.reporting.first_period,
            frequency=frequency_name(frequency),
            example=EXAMPLES[frequency],
        )


def _check_actor(
    activity: Activity, path: Path_, role: str, actor: str, actor_ids: list[str], check: _Checker
) -> None:
    if actor not in actor_ids:
        guess = _guess(actor, actor_ids)
        check.add(
            Code.UNKNOWN_ACTOR,
            path,
            activity=activity.id,
            role=phrase(f"plan.role.{role}"),
            actor=actor,
            hint=did_you_mean(guess),
            fix=guess[0] if guess else None,
        )


def _check_activity(
    plan: Plan, activity: Activity, path: Path_, actor_ids: list[str], check: _Checker
) -> None:
    if activity.lead is None:
        check.add(Code.ACTIVITY_WITHOUT_LEAD, (*path, "lead"), activity=activity.id)
    else:
        _check_actor(activity, (*path, "lead"), "lead", activity.lead, actor_ids, check)
    for i, partner in enumerate(activity.partners):
        _check_actor(activity, (*path, "partners", i), "partner", partner, actor_ids, check)
    for i, code in enumerate(activity.countries or []):
        if not is_country(code):
            check.add(
                Code.UNKNOWN_COUNTRY,
                (*path, "countries", i),
                code=code,
                hint=did_you_mean(suggest_countries(code)),
            )
        elif code not in plan.countries and not _meant_for(code, check.mistyped_countries):
            check.add(
                Code.COUNTRY_NOT_IN_PLAN,
                (*path, "countries", i),
                activity=activity.id,
                code=code,
                countries=plan.countries,
            )
    if activity.countries == [] and not activity.regional:
        check.add(Code.ACTIVITY_WITHOUT_COUNTRY, (*path, "countries"), activity=activity.id)
    if activity.start and activity.end and activity.end < activity.start:
        check.add(
            Code.END_BEFORE_START,
            (*path, "end"),
            activity=activity.id,
            start=activity.start,
            end=activity.end,
        )
    if activity.currency and not is_currency(activity.currency):
        check.add(
            Code.UNKNOWN_CURRENCY,
            (*path, "currency"),
            code=activity.currency,
            hint=did_you_mean(suggest_currencies(activity.currency)),
        )
    if not activity.indicators:
        check.add(Code.ACTIVITY_WITHOUT_INDICATOR, (*path, "indicators"), activity=activity.id)
    first_key: dict[str, int] = {}
    for i, indicator in enumerate(activity.indicators):
        key = indicator.key(i).lower()
        if key in first_key:
            check.add(
                Code.DUPLICATE_ID,
                (*path, "indicators", i, "id"),
                kind=f"activity {activity.id}: indicator",
                id=indicator.key(i),
                first=check.describe((*path, "indicators", first_key[key])),
            )
        first_key.setdefault(key, i)
        kind = indicator.value_kind
        if indicator.target is None and kind is not ValueKind.DATE:
            check.add(
                Code.INDICATOR_WITHOUT_TARGET,
                (*path, "indicators", i, "target"),
                activity=activity.id,
                indicator=indicator.name,
            )
        elif indicator.target is not None and not indicator.unit and kind in UNIT_NEEDED:
            check.add(
                Code.TARGET_WITHOUT_UNIT,
                (*path, "indicators", i, "target"),
                activity=activity.id,
                indicator=indicator.name,
            )


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


def _choices(rules: frozenset[Enum], order: type[Enum]) -> list[str]:
    """The rules of `order` among `rules`, as the plan writes them: cumulative, latest, max."""
    return [rule.value for rule in order if rule in rules]


def _kind_word(kind: ValueKind | str) -> dict[str, object]:
    """'percentage', as messages name a kind (a salvaged plan holds the kind as written)."""
    return phrase(f"kind_word.{ValueKind(kind).value}")


def _check_semantics(
    plan: Plan,
    activity: Activity,
    indicator: Indicator,
    rows: dict[str, tuple[Activity, Indicator]],
    add,
) -> None:
    """The indicator's declared kind, period rule and regional total fit together, and a ratio
    names two countable rows of the plan."""
    kind, rule, regional = indicator.value_kind, indicator.period_rule, indicator.regional_rule
    named = {"activity": activity.id, "indicator": indicator.name, "kind": _kind_word(kind)}
    if rule not in OVER_PERIODS[kind]:
        add(
            Code.INDICATOR_PERIODS_KIND,
            ("periods" if indicator.periods else "cumulative",),
            **named,
            how=rule.value,
            choices=_choices(OVER_PERIODS[kind], PeriodRule),
        )
    if (
        indicator.periods is not None
        and "cumulative" in indicator.model_fields_set
        and (
            indicator.periods
            is (PeriodRule.PER_PERIOD if indicator.cumulative else PeriodRule.CUMULATIVE)
        )
    ):
        add(
            Code.INDICATOR_CUMULATIVE_CONFLICT,
            ("cumulative",),
            **named,
            cumulative=str(indicator.cumulative).lower(),
            periods=indicator.periods.value,
        )
    if kind is ValueKind.DATE and indicator.target is not None:
        add(Code.INDICATOR_DATE_TARGET, ("target",), **named)
    if regional not in COMBINABLE[kind]:
        add(
            Code.INDICATOR_REGIONAL_KIND,
            ("regional_total",),
            **named,
            how=regional.value,
            choices=_choices(COMBINABLE[kind], RegionalRule),
        )
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
            add(
                Code.RATIO_PARTS_MISSING,
                ("regional_total",),
                **named,
                missing=field,
                example=", ".join(list(rows)[:2]),
            )
            continue
        found = rows.get(ref.strip())
        if found is None:
            add(
                Code.RATIO_PART_UNKNOWN,
                (field,),
                **named,
                field=field,
                ref=ref,
                hint=did_you_mean(_guess(ref, list(rows))),
            )
            continue
        part_activity, part = found
        if part is indicator:
            add(Code.RATIO_PART_ITSELF, (field,), **named, field=field)
        elif part.value_kind not in RATIO_PARTS:
            add(
                Code.RATIO_PART_KIND,
                (field,),
                **{**named, "kind": _kind_word(part.value_kind)},
                field=field,
                ref=ref,
            )
        elif missing := sorted(countries - set(plan.activity_countries(part_activity))):
            add(
                Code.RATIO_PART_COUNTRIES,
                (field,),
                **named,
                field=field,
                ref=ref,
                countries=", ".join(missing),
            )
