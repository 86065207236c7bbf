"""Period ids people read naturally, their dates and due dates."""

import shutil
from datetime import date

import pytest

from checkout import SUDAN
from matrix.models.plan import Frequency, Reporting
from matrix.periods import (
    EXAMPLES,
    Period,
    PeriodOutOfRange,
    due_date,
    parse_for_plan,
    periods_between,
)
from matrix.store import Store


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
        "2026-H2",
        "2027-H1",
        "2027-H2",
    ]


def test_due_date_and_plan_frequency():
    reporting = Reporting(frequency="quarterly", first_period="2026-Q3", due_days=15)
    assert due_date(reporting, Period.parse("2026-Q3")) == date(2026, 10, 15)
    with pytest.raises(ValueError, match="quarterly"):
        parse_for_plan(reporting, "2026-09")
    with pytest.raises(ValueError, match="before the plan's first"):
        parse_for_plan(reporting, "2026-Q2")


@pytest.mark.parametrize("text", ["9999-Q4", "0000-Q1", "9999-12", "1899-H2", "3000"])
def test_periods_in_absurd_years_are_refused_in_one_line(text):
    with pytest.raises(
        PeriodOutOfRange, match=f"'{text}' is out of range; periods run from 1900 to 2999"
    ):
        Period.parse(text)


def test_the_last_years_still_have_dates():
    last = Period.parse("2999-Q4")
    reporting = Reporting(frequency="quarterly", first_period="2026-Q3", due_days=365)
    assert (last.end, due_date(reporting, last), last.next().id) == (
        date(2999, 12, 31),
        date(3000, 12, 31),
        "3000-Q1",
    )
    assert Period.parse("1900-01").previous().start == date(1899, 12, 1)


@pytest.mark.parametrize("period", ["9999-Q4", "0000-Q1", "9999-12"])
@pytest.mark.parametrize(
    "command",
    [
        ["generate", "plan.yaml", "--all", "-o", "out"],
        ["generate", "plan.yaml", "--all", "-o", "out", "--prefill"],
        ["collect", "returns"],
        ["status"],
        ["export", "--format", "csv", "-o", "out.csv"],
        ["report", "-o", "report.html"],
    ],
    ids=lambda command: command[0] + ("-prefill" if "--prefill" in command else ""),
)
def test_every_command_taking_a_period_refuses_an_absurd_one_in_one_line(
    run, tmp_path, command, period
):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "SDN.xlsx").write_bytes(
        b"PK\x03\x04 never read: the period is refused first"
    )
    Store.open(tmp_path / "matrix.sqlite").close()
    result = run(*command, "--period", period)
    example = EXAMPLES[Period.parse("2026" + period[4:]).frequency]
    assert result.exit_code == 2 and [
        line for line in result.stderr.splitlines() if line.strip()
    ] == [f"error: '{period}' is out of range; periods run from 1900 to 2999, like {example}"]
