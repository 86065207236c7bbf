"""Reporting periods named the way people write them: 2026-09, 2026-Q3, 2026-H2, 2026."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from matrix.errors import MatrixError
from matrix.i18n import phrase
from matrix.models.plan import Frequency, Plan, Reporting

_PER_YEAR = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.HALF_YEARLY: 2,
    Frequency.ANNUAL: 1,
}
_PATTERNS = [
    (Frequency.MONTHLY, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    (Frequency.QUARTERLY, re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)),
    (Frequency.HALF_YEARLY, re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)),
    (Frequency.ANNUAL, re.compile(r"^(\d{4})$")),
]
YEARS = range(1900, 3000)
"""Years a period may be in: wide enough for any plan, narrow enough that a period's dates, due date
and neighbours are always real dates ('9999-Q4' ends in year 10000)."""
EXAMPLES = {
    Frequency.MONTHLY: "2026-09",
    Frequency.QUARTERLY: "2026-Q3",
    Frequency.HALF_YEARLY: "2026-H2",
    Frequency.ANNUAL: "2026",
}


class PeriodError(MatrixError, ValueError):
    """A period that cannot be used, said in the catalogue's words: a usage error where a command
    was given it, a ValueError where a stored or hidden period is only judged."""


class PeriodOutOfRange(PeriodError):
    """A period written correctly but in a year outside YEARS."""


def frequency_name(frequency: Frequency) -> dict[str, object]:
    """'quarterly', in whatever language the message it goes into is shown."""
    return phrase(f"frequency.{frequency.value}")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int  # 1-based month, quarter or half within the year
    frequency: Frequency

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Raises PeriodError with the accepted forms (PeriodOutOfRange for a year outside
        YEARS), for a one-line message. A Period (parsed once, by the command line) is returned
        as it is."""
        if isinstance(text, Period):
            return text
        text = str(text).strip()
        for frequency, pattern in _PATTERNS:
            if match := pattern.match(text):
                year = int(match.group(1))
                if year not in YEARS:
                    raise PeriodOutOfRange(
                        "period.out_of_range",
                        text=text,
                        first=YEARS[0],
                        last=YEARS[-1],
                        example=EXAMPLES[frequency],
                    )
                return cls(year, int(match.group(2)) if match.lastindex == 2 else 1, frequency)
        raise PeriodError("period.not_a_period", text=text)

    @classmethod
    def containing(cls, day: date, frequency: Frequency) -> Period:
        months = 12 // _PER_YEAR[frequency]
        return cls(day.year, (day.month - 1) // months + 1, frequency)

    @property
    def id(self) -> str:
        return {
            Frequency.MONTHLY: f"{self.year}-{self.index:02d}",
            Frequency.QUARTERLY: f"{self.year}-Q{self.index}",
            Frequency.HALF_YEARLY: f"{self.year}-H{self.index}",
            Frequency.ANNUAL: f"{self.year}",
        }[self.frequency]

    def __str__(self) -> str:
        return self.id

    @property
    def months(self) -> int:
        return 12 // _PER_YEAR[self.frequency]

    @cached_property
    def start(self) -> date:
        """Cached (as `end`): the consistency checks ask every row of a return for them."""
        return date(self.year, (self.index - 1) * self.months + 1, 1)

    @cached_property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        if self.index == _PER_YEAR[self.frequency]:
            return Period(self.year + 1, 1, self.frequency)
        return Period(self.year, self.index + 1, self.frequency)

    def previous(self) -> Period:
        if self.index == 1:
            return Period(self.year - 1, _PER_YEAR[self.frequency], self.frequency)
        return Period(self.year, self.index - 1, self.frequency)


def due_date(reporting: Reporting, period: Period) -> date:
    return period.end + timedelta(days=reporting.due_days)


def parse_for_plan(reporting: Reporting, text: str | Period) -> Period:
    """A period of the plan's own frequency, not before its first period; PeriodError if not."""
    period = Period.parse(text)
    if period.frequency != reporting.frequency:
        raise PeriodError(
            "period.other_frequency",
            text=text,
            found=frequency_name(period.frequency),
            frequency=frequency_name(reporting.frequency),
            example=EXAMPLES[reporting.frequency],
        )
    first = Period.parse(reporting.first_period)
    if period < first:
        raise PeriodError("period.before_first", text=text, first=first.id)
    return period


def calendar_period(reporting: Reporting, text: str) -> Period | None:
    """The period `text` is in the plan's calendar, written exactly as matrix writes it, else None:
    how stored and hidden periods are judged, where '2026-q3' or a monthly id in a quarterly plan
    can only come from an edit or an older matrix."""
    try:
        period = Period.parse(text)
    except ValueError:
        return None
    return period if period.frequency == reporting.frequency and period.id == text else None


def last_period(plan: Plan, today: date | None = None) -> Period:
    """The last period a matrix can be for: the later of the period holding the plan's last activity
    end and the period after today's (matrices go out for the coming period before it starts), and
    never before the first period. Anything later can only be a typing slip or an edit."""
    frequency = plan.reporting.frequency
    ends = [activity.end for _, activity in plan.activities() if activity.end is not None]
    candidates = [
        Period.parse(plan.reporting.first_period),
        Period.containing(today or date.today(), frequency).next(),
    ]
    if ends:
        candidates.append(Period.containing(max(ends), frequency))
    return max(candidates)


def plan_period(plan: Plan, text: str | Period, today: date | None = None) -> Period:
    """`parse_for_plan`, and not after the plan's `last_period`: what `generate` writes and
    validation accepts."""
    period = parse_for_plan(plan.reporting, text)
    last = last_period(plan, today)
    if period > last:
        raise PeriodError("period.after_last", text=text, last=last.id)
    return period


def periods_between(first: Period, last: Period) -> list[Period]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out
