"""The consolidated dataset as an IATI 2.03 activity file, valid against the standard's schema.

One `iati-activity` per plan activity, identified as `<reporting-org ref>-<plan id>-<activity id>`
so two plans of the same publisher never collide. Where our data goes:

- title; descriptions: the activity's own (general) and its objective (objectives); the action
  point as its `sector`, in the publisher's own vocabulary (99);
- participating organisations: a lead is accountable and implementing, partners implementing,
  donors funding; `ref` and `type` from the actor's `iati_ref` and `iati_type` (by default from
  its type);
- activity status from the latest status each office reported for the activity's rows; planned
  start and end; scope; recipient countries (shares split equally: the plan does not split an
  activity by country) or, for region-wide work, the recipient region; the budget (indicative,
  spread evenly over spans of at most a year, IATI's limit);
- one `result` (the objective, an outcome) with one `indicator` per plan indicator: measure,
  ascending, whether its values may be summed, the plan's row ref, baseline and, for every period
  with a reported value, the target and the actual of each country as `dimension name="country"`
  (ISO 3166-1 alpha-2, as in `recipient-country`), plus the total when the countries can be summed
  and all of them reported.

Office comments are not published: they are working notes, not meant for a public register.
Every file is checked against the schema shipped in `matrix/standards/iati-2.03` before anyone
sees it; the bytes are returned, and the caller writes them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from lxml import etree

from matrix.countries import alpha_2
from matrix.errors import MatrixError
from matrix.i18n import LANGUAGES, action_point_title, phrase, t
from matrix.models.plan import (
    Activity,
    Actor,
    ActorType,
    Framework,
    Iati,
    IatiOrganisation,
    Indicator,
    Localised,
    Objective,
    PeriodRule,
    Plan,
    RegionalRule,
    Status,
    ValueKind,
)
from matrix.periods import Period
from matrix.plan import plan_index, row_ref
from matrix.semantics import combine, regional_figure

IATI_VERSION = "2.03"
SCHEMA_FOLDER, SCHEMA = "standards/iati-2.03", "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ORGANISATION_TYPE: dict[ActorType, str | None] = {
    ActorType.GOVERNMENT: "10",
    ActorType.UN_AGENCY: "40",
    ActorType.INTERNATIONAL_ORGANISATION: "40",
    ActorType.NGO: "21",
    ActorType.CIVIL_SOCIETY: "24",
    ActorType.DONOR: None,  # a government, a multilateral or a foundation: the actor must say
    ActorType.REGIONAL_BODY: "40",
    ActorType.ACADEMIA: "80",
}
"""IATI OrganisationType of each actor type, unless the actor declares `iati_type`."""

FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"  # IATI OrganisationRole
PIPELINE, IMPLEMENTATION, FINALISATION, CANCELLED = "1", "2", "3", "5"  # IATI ActivityStatus
PLANNED_START, PLANNED_END = "1", "3"  # IATI ActivityDateType
REGIONAL, MULTI_NATIONAL, NATIONAL = "2", "3", "4"  # IATI ActivityScope
UNIT, PERCENTAGE, NOMINAL, QUALITATIVE = "1", "2", "3", "5"  # IATI IndicatorMeasure
OUTCOME = "2"  # IATI ResultType
GENERAL, OBJECTIVES = "1", "2"  # IATI DescriptionType
OWN_VOCABULARY = "99"  # the reporting organisation's own codes (tags, regions, indicators)
ORIGINAL, INDICATIVE = "1", "1"  # IATI BudgetType, BudgetStatus

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Row = dict[str, Any]


def activities_xml(plan: Plan, rows: list[Row]) -> bytes:
    """The IATI file for `rows` (from `matrix.export.dataset`), already checked against the
    schema; MatrixError when the plan lacks what IATI requires."""
    settings, org = require_publishable(plan)
    by_activity: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_activity[row["activity"]].append(row)
    root = etree.Element(
        "iati-activities",
        {
            "version": IATI_VERSION,
            "generated-datetime": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    writer = _Writer(plan, settings, org, rows)
    for objective, activity in plan.activities():
        root.append(writer.activity(objective, activity, by_activity[activity.id]))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check(data)
    return data


def check(data: bytes) -> None:
    """MatrixError naming the first schema error when `data` is not a valid IATI activity file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise MatrixError("error.iati_not_xml", detail=str(exc)) from None
    schema = _schema()
    if not schema.validate(document):
        error = schema.error_log[0]
        raise MatrixError(
            "error.iati_invalid", version=IATI_VERSION, where=error.path, detail=error.message
        )


@cache
def _schema() -> etree.XMLSchema:
    """The packaged schema; its includes are read from the package, never from the network."""
    folder = files("matrix").joinpath(SCHEMA_FOLDER)

    class Packaged(etree.Resolver):
        def resolve(self, url, pubid, context):
            return self.resolve_string(
                folder.joinpath(url.rsplit("/", 1)[-1]).read_bytes(), context
            )

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(Packaged())
    return etree.XMLSchema(etree.fromstring(folder.joinpath(SCHEMA).read_bytes(), parser))


def require_publishable(plan: Plan) -> tuple[Iati, IatiOrganisation]:
    """The plan's IATI settings and reporting organisation; MatrixError saying what to add when
    the plan lacks what IATI requires: those, and someone taking part in every activity."""
    if plan.iati is None or plan.iati.reporting_org is None:
        raise MatrixError("error.iati_no_reporting_org", plan=plan.id)
    orphans = [a.id for _, a in plan.activities() if not a.lead and not a.partners]
    if orphans:
        more = phrase("format.and_more", count=len(orphans) - 1) if len(orphans) > 1 else ""
        raise MatrixError("error.iati_no_participant", activity=orphans[0], more=more)
    return plan.iati, plan.iati.reporting_org


def organisation_type(actor: Actor) -> str | None:
    return actor.iati_type or ORGANISATION_TYPE[actor.type]


def roles(plan: Plan, activity: Activity) -> list[tuple[Actor, str]]:
    """(actor, IATI role) of everyone taking part: the lead accountable and implementing, partners
    implementing, donors funding, whatever their place in the activity."""
    actors = {a.id: a for a in plan.actors}
    out: list[tuple[Actor, str]] = []
    for actor_id, lead in [(activity.lead, True), *((p, False) for p in activity.partners)]:
        actor = actors.get(actor_id or "")
        if actor is None:
            continue
        if actor.type is ActorType.DONOR:
            wanted = [FUNDING]
        else:
            wanted = [ACCOUNTABLE, IMPLEMENTING] if lead else [IMPLEMENTING]
        out += [(actor, role) for role in wanted if (actor, role) not in out]
    return out


def activity_status(statuses: Iterable[str]) -> str:
    """IATI ActivityStatus from the latest status of each of the activity's rows ('' unreported):
    finalisation when every row is finished (closing is a financial act we do not see), cancelled
    when all are, pipeline until any work has started, implementation otherwise."""
    found = {Status(s) for s in statuses if s}
    if found == {Status.CANCELLED}:
        return CANCELLED
    if found <= {Status.COMPLETED, Status.CANCELLED} and found:
        return FINALISATION
    if found <= {Status.NOT_STARTED, Status.CANCELLED}:
        return PIPELINE
    return IMPLEMENTATION


MEASURES = {
    ValueKind.COUNT: UNIT,
    ValueKind.NUMBER: UNIT,
    ValueKind.CURRENCY: UNIT,
    ValueKind.PERCENT: PERCENTAGE,
    ValueKind.YES_NO: NOMINAL,
    ValueKind.DATE: QUALITATIVE,
}
"""IATI IndicatorMeasure of each declared kind: yes (1) / no (0) is a nominal value, a date is
qualitative (its values go in a comment: IATI's values are numbers)."""


def measure(indicator: Indicator) -> str:
    """IATI IndicatorMeasure from the indicator's declared kind (`Indicator.value_kind`)."""
    return MEASURES[indicator.value_kind]


def ascending(indicator: Indicator) -> bool:
    """False when the target is below the baseline: fewer incidents is better."""
    return indicator.target is None or indicator.target >= indicator.baseline


def summable(indicator: Indicator) -> bool:
    """Whether countries' values add up to a regional total: quantities the plan sums."""
    return measure(indicator) == UNIT and indicator.regional_rule is RegionalRule.SUM


def suitable_for_aggregation(indicator: Indicator) -> bool:
    """IATI's aggregation-status: values may be summed across periods and places. Only
    quantities reported per period and summed across countries may; totals to date, levels,
    percentages, yes/no and dates may not."""
    return summable(indicator) and indicator.period_rule is PeriodRule.PER_PERIOD


def number(value: float | Decimal) -> str:
    """120 rather than 120.0, and never an exponent (xsd:decimal has none)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")


def budget_years(start: date, end: date, amount: float) -> list[tuple[date, date, Decimal]]:
    """The budget over consecutive spans of at most a year from `start` (IATI's limit for one
    budget), spread evenly over the days: the plan gives one figure for the whole activity."""
    spans = []
    first = start
    while first <= end:
        try:
            next_first = first.replace(year=first.year + 1)
        except ValueError:  # 29 February
            next_first = date(first.year + 1, 3, 1)
        last = min(next_first - timedelta(days=1), end)
        spans.append((first, last))
        first = last + timedelta(days=1)
    total, days = Decimal(repr(float(amount))), (end - start).days + 1
    amounts = [(total * ((b - a).days + 1) / days).quantize(Decimal("0.01")) for a, b in spans[:-1]]
    amounts.append(total - sum(amounts, Decimal(0)))
    return [(a, b, value) for (a, b), value in zip(spans, amounts, strict=True)]


def shares(count: int) -> list[str]:
    """`count` percentages that add up to exactly 100, two decimals each."""
    each = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [number(each)] * (count - 1) + [number(Decimal(100) - each * (count - 1))]


def _clean(text: str) -> str:
    """Characters XML cannot carry (control codes pasted into a plan) are dropped."""
    return _NOT_XML.sub("", text)


def narratives(parent: etree._Element, texts: Mapping[str, str], default_language: str) -> None:
    """One `narrative` per language; those not in the activity's default language say which."""
    for lang, text in texts.items():
        narrative = etree.SubElement(parent, "narrative")
        if lang != default_language:
            narrative.set(XML_LANG, lang)
        narrative.text = _clean(text)


class _Writer:
    """Builds `iati-activity` elements for one plan."""

    def __init__(self, plan: Plan, settings: Iati, org: IatiOrganisation, rows: list[Row]):
        self.plan, self.settings, self.org = plan, settings, org
        self.actuals = {
            (r["period"], r["country"], r["ref"]): r["actual"]
            for r in rows
            if r["actual"] is not None
        }
        """(period, office, ref) -> actual value, for a ratio's numerators and denominators."""
        self.lang = settings.default_language
        self.label_lang = self.lang if self.lang in LANGUAGES else "en"
        self.framework = plan_index(plan).framework
        self.first_day = Period.parse(plan.reporting.first_period).start

    def text(self, parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
        """`tag` with the plan's own `text` as its narratives: one per language the plan gives it
        in (a `Localised` text carries its translations)."""
        element = etree.SubElement(parent, tag, attrs)
        if isinstance(text, Localised):
            texts = {text.lang: str(text), **text.translations}
        else:
            texts = {self.plan.language: text}
        narratives(element, texts, self.lang)
        return element

    def label(self, parent: etree._Element, tag: str, text: str) -> None:
        """`tag` with words of ours, in the plan's language when the catalogue has it."""
        narratives(etree.SubElement(parent, tag), {self.label_lang: text}, self.lang)

    def activity(self, objective: Objective, activity: Activity, rows: list[Row]) -> etree._Element:
        plan, org = self.plan, self.org
        attrs = {XML_LANG: self.lang, "default-currency": plan.currency}
        reported = [r["reported"] for r in rows if r["reported"] is not None]
        if reported:
            attrs["last-updated-datetime"] = max(reported).isoformat(timespec="seconds")
        element = etree.Element("iati-activity", attrs)
        etree.SubElement(element, "iati-identifier").text = f"{org.ref}-{plan.id}-{activity.id}"
        self.text(element, "reporting-org", org.name, ref=org.ref, type=org.type)
        self.text(element, "title", activity.title)
        if activity.description.strip():
            self.text(element, "description", activity.description, type=GENERAL)
        self.text(element, "description", objective.title, type=OBJECTIVES)
        for actor, role in roles(plan, activity):
            given = {"ref": actor.iati_ref, "type": organisation_type(actor), "role": role}
            self.text(
                element, "participating-org", actor.name, **{k: v for k, v in given.items() if v}
            )
        latest = {(r["country"], r["ref"]): r["status"] for r in rows if r["status"]}
        etree.SubElement(element, "activity-status", code=activity_status(latest.values()))
        start = activity.start or self.first_day
        etree.SubElement(
            element, "activity-date", {"type": PLANNED_START, "iso-date": start.isoformat()}
        )
        if activity.end:
            etree.SubElement(
                element,
                "activity-date",
                {"type": PLANNED_END, "iso-date": activity.end.isoformat()},
            )
        self.place(element, activity)
        self.action_point(element, objective)
        if activity.budget is not None and activity.end:
            self.budget(element, activity, start, activity.end)
        if activity.indicators:
            self.result(element, objective, activity, rows, start)
        return element

    def place(self, element: etree._Element, activity: Activity) -> None:
        plan = self.plan
        if activity.regional and plan.region:
            etree.SubElement(element, "activity-scope", code=REGIONAL)
            if self.settings.region:
                etree.SubElement(
                    element,
                    "recipient-region",
                    code=self.settings.region.code,
                    vocabulary=self.settings.region.vocabulary,
                )
            else:
                self.text(
                    element,
                    "recipient-region",
                    plan.region.name,
                    code=plan.region.code,
                    vocabulary=OWN_VOCABULARY,
                )
            return
        countries = plan.activity_countries(activity) or plan.countries
        etree.SubElement(
            element, "activity-scope", code=NATIONAL if len(countries) == 1 else MULTI_NATIONAL
        )
        for country, share in zip(countries, shares(len(countries)), strict=True):
            attrs = {"code": alpha_2(country)} | (
                {"percentage": share} if len(countries) > 1 else {}
            )
            etree.SubElement(element, "recipient-country", attrs)

    def action_point(self, element: etree._Element, objective: Objective) -> None:
        ap = self.framework.action_point(objective.action_point)
        if ap is None:
            return
        sector = etree.SubElement(
            element, "sector", vocabulary=OWN_VOCABULARY, code=ap.id, percentage="100"
        )
        if isinstance(self.plan.framework, Framework):
            narratives(sector, {self.lang: ap.title}, self.lang)
        else:
            title = action_point_title(self.framework.id, ap.id, ap.title, self.label_lang)
            narratives(sector, {self.label_lang: title}, self.lang)

    def budget(self, element: etree._Element, activity: Activity, start: date, end: date) -> None:
        currency = activity.currency or self.plan.currency
        for first, last, amount in budget_years(start, end, activity.budget or 0):
            budget = etree.SubElement(element, "budget", type=ORIGINAL, status=INDICATIVE)
            etree.SubElement(budget, "period-start", {"iso-date": first.isoformat()})
            etree.SubElement(budget, "period-end", {"iso-date": last.isoformat()})
            value = etree.SubElement(
                budget, "value", {"currency": currency, "value-date": first.isoformat()}
            )
            value.text = number(amount)

    def result(
        self,
        element: etree._Element,
        objective: Objective,
        activity: Activity,
        rows: list[Row],
        start: date,
    ) -> None:
        result = etree.SubElement(element, "result", type=OUTCOME)
        self.text(result, "title", objective.title)
        offices = self.offices(activity)
        for index, indicator in enumerate(activity.indicators):
            ref = row_ref(activity, index)
            split = _Split(offices, region_wide=activity.regional)
            self.indicator(
                result, indicator, ref, [r for r in rows if r["ref"] == ref], split, start
            )

    def offices(self, activity: Activity) -> list[str]:
        """Who reports the activity's rows: its countries, or the region for region-wide work."""
        if activity.regional:
            return [self.plan.region.code] if self.plan.region else []
        return self.plan.activity_countries(activity)

    def indicator(
        self,
        result: etree._Element,
        indicator: Indicator,
        ref: str,
        rows: list[Row],
        split: _Split,
        start: date,
    ) -> None:
        element = etree.SubElement(
            result,
            "indicator",
            {
                "measure": measure(indicator),
                "ascending": _boolean(ascending(indicator)),
                "aggregation-status": _boolean(suitable_for_aggregation(indicator)),
            },
        )
        self.text(element, "title", indicator.name)
        rule = indicator.period_rule.value
        semantics = t(self.label_lang, f"iati.indicator.{rule}")
        if indicator.unit:
            semantics = (
                f"{t(self.label_lang, 'iati.indicator.unit', unit=indicator.unit)} {semantics}"
            )
        self.label(element, "description", semantics)
        etree.SubElement(element, "reference", vocabulary=OWN_VOCABULARY, code=ref)
        baselines = {office: indicator.baseline for office in split.offices}
        dated = indicator.value_kind is ValueKind.DATE
        for values in () if dated else split(baselines, self.total(indicator, split, baselines)):
            self.value(
                element, "baseline", values, year=str(start.year), **{"iso-date": start.isoformat()}
            )
        by_period: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            by_period[row["period"]].append(row)
        for period_id, period_rows in by_period.items():
            actual = {r["country"]: r["actual"] for r in period_rows if r["actual"] is not None}
            dates = {r["country"]: r["actual_date"] for r in period_rows if r["actual_date"]}
            if not actual and not dates:
                continue
            target = {r["country"]: r["target"] for r in period_rows if r["target"] is not None}
            period = Period.parse(period_id)
            element_period = etree.SubElement(element, "period")
            etree.SubElement(element_period, "period-start", {"iso-date": period.start.isoformat()})
            etree.SubElement(element_period, "period-end", {"iso-date": period.end.isoformat()})
            for values in split(target, self.total(indicator, split, target)):
                self.value(element_period, "target", values)
            for values in split(actual, self.total(indicator, split, actual, period_id)):
                self.value(element_period, "actual", values)
            for office, day in dates.items():
                self.dated(element_period, office, day, split.region_wide)

    def total(
        self, indicator: Indicator, split: _Split, values: dict[str, float], period: str = ""
    ) -> float | None:
        """The countries' values as one figure by the indicator's regional rule, when every
        country gave one (a ratio's from its numerators and denominators of `period`)."""
        offices = split.offices
        if split.region_wide or len(offices) < 2 or any(o not in values for o in offices):
            return None
        if indicator.regional_rule is not RegionalRule.RATIO:
            return combine(indicator.regional_rule, [values[o] for o in offices])
        parts = [
            {o: self.actuals.get((period, o, ref or "")) for o in offices}
            for ref in (indicator.numerator, indicator.denominator)
        ]
        return regional_figure(indicator, offices, values, *parts).value if period else None

    def dated(self, parent: etree._Element, office: str, day: date, region_wide: bool) -> None:
        """A date indicator's actual: qualitative, so the date is its comment, not a value."""
        element = etree.SubElement(parent, "actual")
        if not region_wide:
            etree.SubElement(element, "dimension", name="country", value=alpha_2(office))
        self.label(element, "comment", day.isoformat())

    def value(
        self, parent: etree._Element, tag: str, values: tuple[str | None, float], **attrs: str
    ) -> None:
        """A baseline, target or actual: the total when `country` is None, else one country's."""
        country, amount = values
        element = etree.SubElement(parent, tag, attrs | {"value": number(amount)})
        if country is not None:
            etree.SubElement(element, "dimension", name="country", value=alpha_2(country))


class _Split:
    """Values of an activity's offices as IATI wants them: a region-wide value alone; a country's
    with its `dimension`, after the countries' regional figure (`_Writer.total`) when there is
    one."""

    def __init__(self, offices: list[str], *, region_wide: bool):
        self.offices, self.region_wide = offices, region_wide

    def __call__(
        self, values: dict[str, float], total: float | None
    ) -> list[tuple[str | None, float]]:
        given = [office for office in self.offices if office in values]
        if self.region_wide:
            return [(None, values[office]) for office in given]
        out: list[tuple[str | None, float]] = [] if total is None else [(None, total)]
        return out + [(office, values[office]) for office in given]


def _boolean(value: bool) -> str:
    return "1" if value else "0"
