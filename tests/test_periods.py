"""Period ids people read naturally, their dates and due dates."""

from datetime import date

import pytest

from matrix.models.plan import Frequency, Reporting
from matrix.periods import Period, due_date, parse_for_plan, periods_between


@pytest.mark.parametrize(
    "text, frequency, start, end",
    [
        ("2026-09", Frequency.MONTHLY, date(2026, 9, 1), date(2026, 9, 30)),
        ("2026-Q3", Frequency.QUARTERLY, date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q4", Frequency.QUARTERLY, date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H2", Frequency.HALF_YEARLY, date(2026, 7, 1), date(2026, 12, 31)),
        ("2026", Frequency.ANNUAL, date(2026, 1, 1), date(2026, 12, 31)),
        ("2028-02", Frequency.MONTHLY, date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_period_ids_parse_to_their_dates(text, frequency, start, end):
    period = Period.parse(text)
    assert (period.frequency, period.start, period.end) == (frequency, start, end)
    assert Period.parse(period.id) == period


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "Q3 2026", "26-Q1", "", "2026-H3"])
def test_bad_period_ids_say_how_to_write_one(text):
    with pytest.raises(ValueError, match="2026-Q3"):
        Period.parse(text)


def test_next_and_previous_cross_years():
    assert Period.parse("2026-Q4").next().id == "2027-Q1"
    assert Period.parse("2027-01").previous().id == "2026-12"
    assert [p.id for p in periods_between(Period.parse("2026-H2"), Period.parse("2027-H2"))] == [
        "2026-H2", "2027-H1", "2027-H2"]


def test_due_date_and_plan_frequency():
    reporting = Reporting(frequency="quarterly", first_period="2026-Q3", due_days=15)
    assert due_date(reporting, Period.parse("2026-Q3")) == date(2026, 10, 15)
    with pytest.raises(ValueError, match="quarterly"):
        parse_for_plan(reporting, "2026-09")
    with pytest.raises(ValueError, match="before the plan's first"):
        parse_for_plan(reporting, "2026-Q2")
