"""The plan: framework, countries, actors, objectives, activities, indicators, reporting calendar.

These models define the shape of `plan.yaml` (extra fields are refused). Cross-references (lead
actors, action points, countries) are checked by `matrix.plan.checks`, which reports every problem
at once with its line instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import re
from contextvars import ContextVar
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ID_PATTERN)]
"""Letters, digits, '-' and '_' (no dots or spaces), because ids end up in cells and file names."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

DEFAULT_LANGUAGE = "en"
_plan_language: ContextVar[str] = ContextVar("plan_language", default=DEFAULT_LANGUAGE)
"""The language of the plan being validated: the one a text's plain form is in."""


class Localised(str):
    """A plan text in the plan's language, with its translations. It is that text wherever a str
    is used (and in the plan's version, which translations do not change); `in_language` picks a
    translation."""

    lang: str
    translations: dict[str, str]

    def __new__(cls, text: str, lang: str, translations: dict[str, str]) -> Self:
        obj = super().__new__(cls, text)
        obj.lang = lang
        obj.translations = dict(translations)
        return obj

    def __reduce__(self):  # validation workers receive the plan pickled
        return (Localised, (str(self), self.lang, self.translations))


def _localised(value: str | dict[str, str]) -> str:
    if isinstance(value, str):
        return value
    lang = _plan_language.get()
    if lang not in value:
        raise PydanticCustomError(
            "matrix.translations",
            "give the text in the plan's language ({lang}) too",
            {"lang": lang},
        )
    return Localised(value[lang], lang, {k: v for k, v in value.items() if k != lang})


LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
"""ISO 639-1 (or -3) code, as the catalogue names its languages: en, fr, es, ar."""

if TYPE_CHECKING:  # once validated, a text is a str (a Localised when it has translations)
    LocalText = str
    LocalFreeText = str
else:
    LocalText = Annotated[Text | dict[LanguageCode, Text], AfterValidator(_localised)]
    """A text written once (in the plan's language), or in several: `{en: ..., fr: ...}`."""
    LocalFreeText = Annotated[str | dict[LanguageCode, str], AfterValidator(_localised)]
    """The same for a text that may be empty and is kept exactly as written (a description)."""


def in_language(text: str, lang: str) -> str:
    """`text` in `lang` when the plan gives it, else as the plan wrote it."""
    if isinstance(text, Localised) and lang != text.lang:
        return text.translations.get(lang, str(text))
    return str(text)


def has_language(text: str, lang: str, plan_language: str) -> bool:
    """Whether `text` is written in `lang`: its own language, or one of its translations."""
    if isinstance(text, Localised):
        return lang == text.lang or lang in text.translations
    return lang == plan_language


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _normalise_choice(value: object) -> object:
    """Accept 'UN agency', 'un-agency' and 'un_agency' alike: people type these by hand."""
    if isinstance(value, str):
        return re.sub(r"[\s-]+", "_", value.strip().lower())
    return value


class Scope(StrEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    GLOBAL = "global"


class ActorType(StrEnum):
    GOVERNMENT = "government"
    UN_AGENCY = "un_agency"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    NGO = "ngo"
    CIVIL_SOCIETY = "civil_society"
    DONOR = "donor"
    REGIONAL_BODY = "regional_body"
    ACADEMIA = "academia"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    ANNUAL = "annual"


class Status(StrEnum):
    """Progress vocabulary; labels in each language come from the message catalogue."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    DELAYED = "delayed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


Suggestions = dict[LanguageCode, Annotated[list[Text], Field(min_length=1)]]


class Guidance(Strict):
    """The compendium's guide to an action point: what stakeholders can do and how UNHCR can help,
    one list per language so a workbook shows it in the office's language."""

    stakeholders: Suggestions = Field(
        default_factory=dict, description="Suggestions for stakeholders."
    )
    unhcr_support: Suggestions = Field(
        default_factory=dict, description="Support UNHCR can provide to partners."
    )


class PlanGuidance(Guidance):
    """A plan's own guidance for one action point of its framework: added after the framework's
    suggestions, or in their place with `replace: true` (each list the plan gives replaces the
    framework's list of the same name)."""

    replace: bool = Field(default=False, description="True: replace the framework's lists.")


class ActionPoint(Strict):
    number: int = Field(ge=1, le=99, description="Position in the framework, shown to users.")
    id: Id = Field(description="Stable id objectives refer to, e.g. AP3.")
    title: LocalText
    description: LocalFreeText = ""
    guidance: Guidance | None = None

    @model_serializer(mode="wrap")
    def _omit_absent_guidance(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """A plan with its own action points and no guidance keeps the content hash it had before
        guidance existed, so workbooks generated from it still match their plan."""
        data = handler(self)
        if self.guidance is None:
            data.pop("guidance", None)
        return data


class Framework(Strict):
    id: Id
    title: LocalText
    action_points: list[ActionPoint] = Field(min_length=1)

    def action_point(self, ref: str | int) -> ActionPoint | None:
        """Find by id ('AP3') or number (3 or '3'), the two ways people write them."""
        for ap in self.action_points:
            if str(ref).strip().lower() in (ap.id.lower(), str(ap.number)):
                return ap
        return None


LocalisedText = Text | dict[LanguageCode, Text]
"""A text in one language, or one text per language ({en: ..., fr: ...})."""

OVERVIEW_DEFAULT_HEADINGS = (
    "main_trends",
    "key_developments",
    "challenges_and_gaps",
    "priorities_next_period",
)
"""Built-in headings, translated in every workbook (catalogue `overview.heading.<id>`)."""
OVERVIEW_DEFAULT_LIMIT = 1000


class OverviewHeading(Strict):
    id: Id
    title: LocalisedText | None = Field(
        default=None, description="Required for a heading that is not built in."
    )
    hint: LocalisedText | None = Field(default=None, description="What to write under it.")
    required: bool | None = Field(default=None, description="Default: the overview's `required`.")
    max_length: int | None = Field(default=None, ge=50, le=10_000, description="In characters.")

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: object) -> object:
        """`- main_trends` is short for `- {id: main_trends}`."""
        return {"id": value} if isinstance(value, str) else value


class Overview(Strict):
    """The headings an office summarises the period under, on the workbook's Overview sheet."""

    headings: list[OverviewHeading] = Field(
        default_factory=lambda: [OverviewHeading(id=h) for h in OVERVIEW_DEFAULT_HEADINGS],
        min_length=1,
        max_length=20,
    )
    required: bool = Field(default=False, description="Every heading must be filled in.")
    max_length: int = Field(default=OVERVIEW_DEFAULT_LIMIT, ge=50, le=10_000)


class Region(Strict):
    code: Id = Field(description="Short code used in file names, e.g. EHAGL.")
    name: LocalText
    reports: bool | None = Field(
        default=None,
        description="Whether the regional bureau is expected to return a matrix each period; "
        "default: only when the plan has region-wide activities.",
    )


def _code_text(value: object) -> object:
    """YAML reads `type: 40` as a number; IATI codes are text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _period_text(value: object) -> object:
    """YAML reads `first_period: 2026` as a number and `2026-07-01` as a date; a period is text
    (a date is then refused as a period, with an example of one)."""
    return value.isoformat() if isinstance(value, date) else _code_text(value)


def _iati_organisation_ref(value: str) -> str:
    """Registration agency, then the number it gave: it starts every IATI activity identifier."""
    if not re.fullmatch(r"[A-Z]{2}-[A-Za-z0-9]+-[^\s/&|?]+", value):
        raise PydanticCustomError(
            "matrix.iati_ref", "expected an IATI organisation identifier like XM-DAC-41121"
        )
    return value


IatiOrganisationRef = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_iati_organisation_ref)
]

IatiOrganisationType = Annotated[
    Literal[
        "10",
        "11",
        "15",
        "21",
        "22",
        "23",
        "24",
        "30",
        "40",
        "60",
        "70",
        "71",
        "72",
        "73",
        "80",
        "90",
    ],
    BeforeValidator(_code_text),
]
"""A code of IATI's OrganisationType codelist: 10 government, 21 international NGO, 40
multilateral."""


class IatiOrganisation(Strict):
    ref: IatiOrganisationRef
    type: IatiOrganisationType
    name: Text


class IatiRegion(Strict):
    code: Annotated[
        str, BeforeValidator(_code_text), StringConstraints(strip_whitespace=True, min_length=1)
    ]
    vocabulary: Annotated[str, BeforeValidator(_code_text)] = Field(
        default="1", description="IATI RegionVocabulary: 1 OECD DAC, 2 UN M49, 99 the publisher's."
    )


class Iati(Strict):
    """How the plan is published to IATI; nothing here changes a workbook."""

    reporting_org: IatiOrganisation | None = Field(
        default=None, description="The organisation that publishes the IATI file."
    )
    default_language: LanguageCode = Field(
        default="en", description="Language of the plan's texts."
    )
    region: IatiRegion | None = Field(
        default=None, description="Recipient region of region-wide activities; default: `region`."
    )


ABSENT_WHEN_NONE = ("guidance", "overview", "checks")
"""Plan sections added after plans were first versioned: left out of the dump when absent."""

PUBLICATION_ONLY: dict[str, Any] = {
    "iati": True,
    "checks": True,
    "actors": {"__all__": {"iati_ref", "iati_type"}},
}
"""Plan fields that never reach a workbook (how the plan is published, how returns are checked),
so changing them keeps the plan's version."""
EXPECTATION_ONLY: dict[str, Any] = {"region": {"reports"}}
"""Who is expected to report never reaches a workbook either."""
NOT_IN_VERSION = {
    **PUBLICATION_ONLY,
    **EXPECTATION_ONLY,
    "language": True,
    "office_languages": True,
    "paper": True,
}
"""Also left out of the plan's version: which language each office works in and the paper
matrices print on change how a workbook is written, not what the plan says; translations are
left out too (a `Localised` text is its text in the plan's language)."""


class Paper(StrEnum):
    """Paper sizes workbooks print on, with Excel's numbers for them."""

    A4 = "A4"
    A3 = "A3"
    LETTER = "letter"
    LEGAL = "legal"

    @property
    def excel_code(self) -> int:
        return {"A4": 9, "A3": 8, "letter": 1, "legal": 5}[self.value]


class Actor(Strict):
    id: Id = Field(description="Short name used everywhere else in the plan, e.g. UNHCR.")
    name: LocalText
    type: ActorType
    iati_ref: IatiOrganisationRef | None = Field(
        default=None, description="IATI organisation identifier, for the IATI export."
    )
    iati_type: IatiOrganisationType | None = Field(
        default=None, description="IATI organisation type; by default derived from `type`."
    )

    _normalise_type = field_validator("type", mode="before")(_normalise_choice)


class ValueKind(StrEnum):
    """What an indicator's actual value is, which decides how a typed value is read."""

    COUNT = "count"
    NUMBER = "number"
    PERCENT = "percent"
    CURRENCY = "currency"
    YES_NO = "yes_no"
    DATE = "date"


class PeriodRule(StrEnum):
    """How an indicator's values over periods make its figure to date."""

    CUMULATIVE = "cumulative"
    """Each value is the total to date: the latest counts, and it cannot go down."""
    PER_PERIOD = "per_period"
    """Each value is what was done in its period: they add up."""
    LATEST = "latest"
    """A level (a rate, a yes/no, a date): the latest value."""
    MAX = "max"
    """A level: the highest value reported so far."""
    MEAN = "mean"
    """A level: the mean of the values reported so far."""


class RegionalRule(StrEnum):
    """How the countries' figures of an indicator make one regional figure."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    RATIO = "ratio"
    """A percentage: 100 × the countries' numerators added up / their denominators added up."""
    NONE = "none"
    """No regional figure."""


PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage", "pourcentage", "porcentaje"})
"""Units that make an indicator a percentage when its kind is not declared."""

SEMANTICS_FIELDS = ("kind", "periods", "regional_total", "numerator", "denominator")
"""Indicator fields added after plans were first versioned: left out of the dump when absent."""


class Indicator(Strict):
    id: Id | None = Field(
        default=None,
        description="Stable within its activity; default: its position (1, 2, ...). Give ids "
        "before reordering indicators, so returns from earlier versions still map onto them.",
    )
    name: LocalText
    unit: LocalText | None = None
    baseline: float = Field(default=0, ge=0)
    target: float | None = Field(default=None, ge=0)
    cumulative: bool = Field(
        default=True,
        description="True: actual is the total to date. "
        "False: actual is what was done in the period.",
    )
    kind: ValueKind | None = Field(
        default=None,
        description="count, number, percent, currency, yes_no or date; default: percent when the "
        "unit is %, else number.",
    )
    periods: PeriodRule | None = Field(
        default=None,
        description="cumulative, per_period, latest, max or mean; default: from `cumulative`.",
    )
    regional_total: RegionalRule | None = Field(
        default=None,
        description="sum, mean, min, max, ratio or none; default: sum for counts, numbers, "
        "amounts and yes/no, none for percentages and dates.",
    )
    numerator: str | None = Field(
        default=None, description="With `regional_total: ratio`: the row (ref) counting the part."
    )
    denominator: str | None = Field(
        default=None, description="With `regional_total: ratio`: the row (ref) counting the whole."
    )

    _normalise_choices = field_validator("kind", "periods", "regional_total", mode="before")(
        _normalise_choice
    )

    @model_serializer(mode="wrap")
    def _omit_absent_id_and_semantics(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, object]:
        """An indicator that declares no id and no semantics keeps the content hash it had before
        they existed, so workbooks generated from its plan still match."""
        data = handler(self)
        for name in ("id", *SEMANTICS_FIELDS):
            if data.get(name, 0) is None:
                data.pop(name)
        return data

    @property
    def value_kind(self) -> ValueKind:
        if self.kind is not None:
            return self.kind
        unit = (self.unit or "").strip().lower()
        return ValueKind.PERCENT if unit in PERCENT_UNITS or "%" in unit else ValueKind.NUMBER

    @property
    def period_rule(self) -> PeriodRule:
        if self.periods is not None:
            return self.periods
        return PeriodRule.CUMULATIVE if self.cumulative else PeriodRule.PER_PERIOD

    @property
    def regional_rule(self) -> RegionalRule:
        if self.regional_total is not None:
            return self.regional_total
        if self.value_kind in (ValueKind.PERCENT, ValueKind.DATE):
            return RegionalRule.NONE  # never an average of percentages unless declared
        return RegionalRule.SUM

    @property
    def is_total_to_date(self) -> bool:
        """Whether each value is the total to date, which cannot go down."""
        return self.period_rule is PeriodRule.CUMULATIVE

    def key(self, position: int) -> str:
        """What a return's value is carried by across plan versions: the id, else the 1-based
        position (as the plan's earlier versions numbered it)."""
        return self.id or str(position + 1)


def _all_countries(value: object) -> object:
    """`countries: all` says what leaving the key out says: every country of the plan."""
    if isinstance(value, str) and value.strip().lower() == "all":
        return None
    return value


class Activity(Strict):
    id: Id
    title: LocalText
    description: LocalFreeText = ""
    lead: Id | None = Field(default=None, description="Actor id of the lead.")
    partners: list[Id] = Field(default_factory=list)
    countries: Annotated[list[str] | None, BeforeValidator(_all_countries)] = Field(
        default=None,
        description="ISO alpha-3 codes; omitted (or `all`) means every country of the plan.",
    )
    regional: bool = Field(
        default=False, description="Region-wide: reported once in the regional matrix."
    )
    indicators: list[Indicator] = Field(default_factory=list)
    start: date | None = None
    end: date | None = None
    budget: float | None = Field(default=None, ge=0)
    currency: str | None = None


class Objective(Strict):
    id: Id
    action_point: str | int = Field(description="Action point id (AP3) or number (3).")
    title: LocalText
    activities: list[Activity] = Field(default_factory=list)


class Reporting(Strict):
    frequency: Frequency
    first_period: Annotated[str, BeforeValidator(_period_text)] = Field(
        description="e.g. 2026-09, 2026-Q3, 2026-H2 or 2026."
    )
    due_days: int = Field(default=15, ge=0, le=365, description="Days after a period ends.")
    send_to: LocalFreeText = Field(
        default="", description="Who receives returns, shown in every workbook."
    )

    _normalise_frequency = field_validator("frequency", mode="before")(_normalise_choice)


AT_RISK_MARGIN = 25.0


class Checks(Strict):
    """Settings of the consistency checks `validate` and `collect` apply to returns."""

    at_risk_margin: float = Field(
        default=AT_RISK_MARGIN,
        ge=0,
        le=100,
        description="Percentage points by which an on-track row's progress towards its target "
        "may trail the share of its activity's time gone by before it is flagged at risk.",
    )


class Plan(Strict):
    schema_version: Literal[1]
    id: Id
    title: LocalText
    language: LanguageCode = Field(
        default=DEFAULT_LANGUAGE, description="Language the plan's texts are written in."
    )
    office_languages: dict[str, LanguageCode] = Field(
        default_factory=dict,
        description="The language each office works in, by country (or region) code; offices not "
        "named work in `language`.",
    )
    paper: Paper = Field(default=Paper.A4, description="Paper the workbooks print on.")
    scope: Scope
    framework: str | Framework = Field(
        default="10-point-plan", description="A built-in framework name or the plan's own."
    )
    region: Region | None = None
    countries: list[str] = Field(min_length=1)
    currency: str = "USD"
    reporting: Reporting
    actors: list[Actor] = Field(min_length=1)
    objectives: list[Objective] = Field(default_factory=list)
    iati: Iati | None = Field(default=None, description="Settings of the IATI export.")
    guidance: dict[str, PlanGuidance] | None = Field(
        default=None,
        description="Guidance per action point (id or number), added to the framework's.",
    )
    overview: Overview | None = Field(
        default=None, description="Headings of the Overview sheet; default: the four built in."
    )
    checks: Checks | None = Field(default=None, description="Settings of the consistency checks.")

    _normalise_scope = field_validator("scope", mode="before")(_normalise_choice)

    @model_validator(mode="wrap")
    @classmethod
    def _in_its_language(cls, data: object, handler: ModelWrapValidatorHandler[Plan]) -> Plan:
        """Texts written as `{en: ..., fr: ...}` are read against the plan's own `language`."""
        language = data.get("language") if isinstance(data, dict) else None
        token = _plan_language.set(language if isinstance(language, str) else DEFAULT_LANGUAGE)
        try:
            return handler(data)
        finally:
            _plan_language.reset(token)

    def office_language(self, office: str) -> str:
        """The language `office` works in."""
        return self.office_languages.get(office, self.language)

    _index: object = PrivateAttr(default=None)
    """`matrix.plan.PlanIndex`, the lookups every command makes, built once (`plan_index`)."""

    @field_validator("guidance", mode="before")
    @classmethod
    def _guidance_keys_as_text(cls, value: object) -> object:
        """YAML reads `3:` as a number; action points are referred to by id or number."""
        if isinstance(value, dict):
            return {str(key): item for key, item in value.items()}
        return value

    @model_serializer(mode="wrap")
    def _omit_absent_sections(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Plans without guidance or overview settings keep the content hash they had before
        these existed, so workbooks generated from them still match their plan."""
        data = handler(self)
        for name in ABSENT_WHEN_NONE:
            if data.get(name, 0) is None:
                data.pop(name)
        return data

    @property
    def overview_settings(self) -> Overview:
        return self.overview or Overview()

    @property
    def check_settings(self) -> Checks:
        return self.checks or Checks()

    def __eq__(self, other: object) -> bool:
        """Plans are equal when what they say is: their index is not part of them."""
        if not isinstance(other, Plan):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def activities(self) -> list[tuple[Objective, Activity]]:
        return [(o, a) for o in self.objectives for a in o.activities]

    def activity_countries(self, activity: Activity) -> list[str]:
        if activity.regional:
            return []
        return activity.countries if activity.countries is not None else self.countries

    @property
    def has_budgets(self) -> bool:
        return any(a.budget is not None for _, a in self.activities())

    def content_hash(self) -> str:
        """Identifies this version of the plan; written into every workbook generated from it.
        Publication settings, who reports, languages, paper and translations are left out
        (`NOT_IN_VERSION`): adding them must not turn away returns in flight."""
        canonical = self.model_dump_json(exclude_none=False, exclude=NOT_IN_VERSION)
        return hashlib.sha256(canonical.encode()).hexdigest()
