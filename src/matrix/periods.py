"""Reporting periods named the way people write them: 2026-09, 2026-Q3, 2026-H2, 2026."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from matrix.models.plan import Frequency, Reporting

_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 2, Frequency.ANNUAL: 1}
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


class PeriodOutOfRange(ValueError):
    """A period written correctly but in a year outside YEARS."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int  # 1-based month, quarter or half within the year
    frequency: Frequency

    @classmethod
    def parse(cls, text: str) -> Period:
        """Raises ValueError with the accepted forms (PeriodOutOfRange for a year outside YEARS), for a
        one-line message."""
        text = str(text).strip()
        for frequency, pattern in _PATTERNS:
            if match := pattern.match(text):
                year = int(match.group(1))
                if year not in YEARS:
                    raise PeriodOutOfRange(
                        f"'{text}' is out of range; periods run from {YEARS[0]} to {YEARS[-1]}, like "
                        f"{EXAMPLES[frequency]}"
                    )
                return cls(year, int(match.group(2)) if match.lastindex == 2 else 1, frequency)
        raise ValueError(
            f"'{text}' is not a period; write it like 2026-09 (month), 2026-Q3 (quarter), "
            "2026-H2 (half-year) or 2026 (year)"
        )

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

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
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


def parse_for_plan(reporting: Reporting, text: str) -> Period:
    """A period of the plan's own frequency, not before its first period."""
    period = Period.parse(text)
    if period.frequency != reporting.frequency:
        raise ValueError(
            f"'{text}' is a {period.frequency.value.replace('_', '-')} period but the plan reports "
            f"{reporting.frequency.value.replace('_', '-')}; write it like '{EXAMPLES[reporting.frequency]}'"
        )
    first = Period.parse(reporting.first_period)
    if period < first:
        raise ValueError(f"'{text}' is before the plan's first reporting period {first}")
    return period


def periods_between(first: Period, last: Period) -> list[Period]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out
