"""What an indicator's numbers mean, as its plan declares (`Indicator.kind`, `periods`,
`regional_total`): how its values over periods make a figure to date, and how the countries'
figures make one regional figure. The report, the export and the IATI file all combine values here.

Values are stored as numbers: a percentage in points (40 for 40 %), yes as 1 and no as 0, a date
as its Excel serial number (days since 1899-12-30), so one column holds every kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matrix.models.plan import Indicator, PeriodRule, RegionalRule, ValueKind

DATE_ZERO = date(1899, 12, 30)
"""Day 0 of a stored date: Excel's 1900 date system, so a stored date reads as one in a sheet."""

COMBINABLE = {
    ValueKind.COUNT: frozenset(RegionalRule) - {RegionalRule.RATIO},
    ValueKind.NUMBER: frozenset(RegionalRule) - {RegionalRule.RATIO},
    ValueKind.CURRENCY: frozenset(RegionalRule) - {RegionalRule.RATIO},
    ValueKind.PERCENT: frozenset(RegionalRule) - {RegionalRule.SUM},
    ValueKind.YES_NO: frozenset(
        {RegionalRule.SUM, RegionalRule.MEAN, RegionalRule.MIN, RegionalRule.MAX, RegionalRule.NONE}
    ),
    ValueKind.DATE: frozenset({RegionalRule.MIN, RegionalRule.MAX, RegionalRule.NONE}),
}
"""The regional rules that mean something for each kind: percentages are never added up, a ratio
is a percentage, dates are only the earliest or latest."""

OVER_PERIODS = {
    ValueKind.COUNT: frozenset(PeriodRule),
    ValueKind.NUMBER: frozenset(PeriodRule),
    ValueKind.CURRENCY: frozenset(PeriodRule),
    ValueKind.PERCENT: frozenset(PeriodRule) - {PeriodRule.PER_PERIOD},
    ValueKind.YES_NO: frozenset({PeriodRule.CUMULATIVE, PeriodRule.LATEST, PeriodRule.MAX}),
    ValueKind.DATE: frozenset({PeriodRule.CUMULATIVE, PeriodRule.LATEST}),
}
"""The period rules that mean something for each kind: percentages, yes/no and dates are levels
and never add up over periods."""

LATEST_ONLY = frozenset({PeriodRule.CUMULATIVE, PeriodRule.LATEST})

RATIO_PARTS = frozenset({ValueKind.COUNT, ValueKind.NUMBER, ValueKind.CURRENCY})
"""What a ratio's numerator and denominator may be: quantities that add up across countries."""


KIND_WORDS = {
    ValueKind.COUNT: "count",
    ValueKind.NUMBER: "number",
    ValueKind.PERCENT: "percentage",
    ValueKind.CURRENCY: "currency amount",
    ValueKind.YES_NO: "yes/no",
    ValueKind.DATE: "date",
}
"""How messages name a kind of value: 'is a percentage'."""


def date_number(day: date) -> float:
    return float((day - DATE_ZERO).days)


def number_date(value: float) -> date:
    return DATE_ZERO + timedelta(days=int(value))


class ToDate:
    """An indicator row's figure to date, fed its reported values period by period."""

    __slots__ = ("count", "rule", "total", "value")

    def __init__(self, rule: PeriodRule):
        self.rule = rule
        self.value: float | None = None
        self.count = 0
        self.total = 0.0

    @property
    def state(self) -> tuple[float | None, int, float]:
        """What it carries to the next period, to be kept and resumed (`resumed`)."""
        return self.value, self.count, self.total

    @classmethod
    def resumed(cls, rule: PeriodRule, state: Sequence[float | int | None]) -> ToDate:
        running = cls(rule)
        value, count, total = state
        running.value, running.count, running.total = value, int(count or 0), float(total or 0)
        return running

    def add(self, value: float | None) -> float | None:
        """The figure to date once `value` (None: nothing reported this period) is counted. A
        total to date or a latest level needs this period's value; sums, maxima and means run on."""
        if value is None:
            return None if self.rule in LATEST_ONLY else self.value
        self.count += 1
        self.total += value
        rule = self.rule
        if rule is PeriodRule.PER_PERIOD:
            self.value = self.total
        elif rule is PeriodRule.MAX:
            self.value = value if self.value is None else max(self.value, value)
        elif rule is PeriodRule.MEAN:
            self.value = self.total / self.count
        else:
            self.value = value
        return self.value


def to_date(rule: PeriodRule, values: Iterable[float | None]) -> float | None:
    """The figure to date of values in period order (None where nothing was reported)."""
    running = ToDate(rule)
    figure = None
    for value in values:
        figure = running.add(value)
    return figure


def combine(rule: RegionalRule, values: Sequence[float]) -> float | None:
    """Countries' figures as one regional figure (not for a ratio, which needs its parts)."""
    if not values or rule in (RegionalRule.NONE, RegionalRule.RATIO):
        return None
    if rule is RegionalRule.SUM:
        return float(sum(values))
    if rule is RegionalRule.MEAN:
        return sum(values) / len(values)
    return float(min(values) if rule is RegionalRule.MIN else max(values))


@dataclass(frozen=True)
class RegionalFigure:
    """An indicator's regional figure: its value and target by its rule, from how many countries."""

    value: float | None
    target: float | None
    reporting: int
    expected: int
    numerator: float | None = None
    denominator: float | None = None

    @property
    def percent_of_target(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return self.value / self.target


def regional_figure(
    indicator: Indicator,
    offices: Sequence[str],
    figures: Mapping[str, float | None],
    numerators: Mapping[str, float | None] | None = None,
    denominators: Mapping[str, float | None] | None = None,
) -> RegionalFigure:
    """The regional figure of an indicator from its countries' figures to date; for a ratio, from
    the countries' numerator and denominator figures, over the countries that gave both."""
    rule = indicator.regional_rule
    if rule is RegionalRule.RATIO:
        numerators, denominators = numerators or {}, denominators or {}
        both = [
            o for o in offices if numerators.get(o) is not None and denominators.get(o) is not None
        ]
        part = sum(numerators[o] or 0.0 for o in both)
        whole = sum(denominators[o] or 0.0 for o in both)
        value = 100.0 * part / whole if both and whole else None
        return RegionalFigure(
            value,
            indicator.target,
            len(both),
            len(offices),
            part if both else None,
            whole if both else None,
        )
    given = [figure for o in offices if (figure := figures.get(o)) is not None]
    value = combine(rule, given)
    target = indicator.target
    if target is not None and rule is RegionalRule.SUM:
        target = target * len(offices)  # a plan target is each country's
    if rule is RegionalRule.NONE:
        target = None
    return RegionalFigure(value, target, len(given), len(offices))
