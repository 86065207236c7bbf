"""The ranking of rows that need attention (`matrix.report.attention`), row by row on a small plan:
each reason, its order, and a comment alone listing nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow
from matrix.periods import Period
from matrix.report.attention import Reason, elapsed_percent, ranked
from matrix.report.counting import Layout, snapshots
from matrix.report.data import PeriodData, ReportData
from matrix.report.words import Words

ACTIVITIES = {
    # id: (start, end): the report is for 2026-Q4 (ends 2026-12-31)
    "OVER": (date(2026, 1, 1), date(2026, 11, 30)),  # ended before the period did
    "RISK": (date(2026, 1, 1), date(2027, 1, 31)),  # 92 % of its time gone at the period's end
    "LATE": (date(2026, 1, 1), date(2027, 12, 31)),
    "BACK": (date(2026, 1, 1), date(2027, 12, 31)),
    "FELL": (date(2026, 1, 1), date(2027, 12, 31)),
    "SAID": (date(2026, 1, 1), date(2027, 12, 31)),
    "TALK": (date(2026, 1, 1), date(2027, 12, 31)),
}


def plan() -> Plan:
    return Plan.model_validate(
        {
            "schema_version": 1,
            "id": "p",
            "title": "T",
            "scope": "national",
            "countries": ["SDN"],
            "reporting": {"frequency": "quarterly", "first_period": "2026-Q3"},
            "actors": [
                {"id": "A", "name": "Agency A", "type": "ngo"},
                {"id": "B", "name": "Bureau B", "type": "ngo"},
                {"id": "C", "name": "Council C", "type": "ngo"},
            ],
            "objectives": [
                {
                    "id": "O",
                    "action_point": 1,
                    "title": "O",
                    "activities": [
                        {
                            "id": a,
                            "title": a,
                            "lead": "A",
                            "start": start.isoformat(),
                            "end": end.isoformat(),
                            "partners": ["B", "C"] if a == "SAID" else [],
                            "indicators": [{"name": "People", "unit": "people", "target": 100}],
                        }
                        for a, (start, end) in ACTIVITIES.items()
                    ],
                }
            ],
        }
    )


def rows(period: str, values: dict[str, tuple[Status, float, str]]) -> PeriodData:
    return PeriodData(
        rows=[
            ProgressRow(
                country="SDN",
                activity_id=a,
                indicator_index=0,
                ref=a,
                sheet="M",
                row=4 + n,
                status=status,
                actual=actual,
                comments=comments,
            )
            for n, (a, (status, actual, comments)) in enumerate(values.items())
        ]
    )


Q3 = {
    "OVER": (Status.ON_TRACK, 50, ""),
    "RISK": (Status.ON_TRACK, 10, ""),
    "LATE": (Status.ON_TRACK, 30, ""),
    "BACK": (Status.COMPLETED, 100, ""),
    "FELL": (Status.ON_TRACK, 60, ""),
    "SAID": (Status.ON_TRACK, 40, ""),
    "TALK": (Status.ON_TRACK, 50, ""),
}
Q4 = {
    "OVER": (Status.ON_TRACK, 60, "nearly there"),
    "RISK": (Status.ON_TRACK, 20, ""),
    "LATE": (Status.DELAYED, 30, "  "),
    "BACK": (Status.CANCELLED, 100, "funding withdrawn"),
    "FELL": (Status.ON_TRACK, 45, "recount"),
    "SAID": (Status.DELAYED, 40, "waiting for the ministry"),
    "TALK": (Status.ON_TRACK, 70, "a long comment on progress"),
}


def ranking(q3=Q3, q4=Q4, margin=25.0):
    p = plan()
    layout = Layout(p, ["SDN"])
    data = ReportData(periods={"2026-Q3": rows("2026-Q3", q3), "2026-Q4": rows("2026-Q4", q4)})
    before, now = list(snapshots(layout, data, Period.parse("2026-Q3"), Period.parse("2026-Q4")))
    return [
        (layout.rows[a.row].ref, a.reason, a.text(Words(p, "en")))
        for a in ranked(now, before, margin)
    ]


def test_rows_are_ranked_by_reason_and_a_comment_alone_is_not_attention():
    found = ranking()
    assert [(ref, reason) for ref, reason, _ in found] == [
        ("OVER", Reason.OVERDUE),
        ("RISK", Reason.AT_RISK),
        ("LATE", Reason.DELAYED_UNEXPLAINED),  # a blank comment explains nothing
        ("BACK", Reason.REGRESSION),
        ("FELL", Reason.REGRESSION),
        ("SAID", Reason.DELAYED),
    ]  # TALK: on track, on pace, commented: not listed


@pytest.mark.parametrize("over", [(Status.NOT_STARTED, 0, ""), None])
def test_an_overdue_row_is_listed_whatever_was_reported_or_if_nothing_was(over):
    q4 = {**Q4, "OVER": over} if over else {k: v for k, v in Q4.items() if k != "OVER"}
    q4 = {**q4, "TALK": (Status.NOT_STARTED, 70, "")}  # not overdue, not started: not listed
    found = [(ref, reason) for ref, reason, _ in ranking(q4=q4)]
    assert found[0] == ("OVER", Reason.OVERDUE)
    assert "TALK" not in [ref for ref, _ in found]


def test_every_row_says_why_with_its_figures():
    why = {ref: text for ref, _, text in ranking()}
    assert why["OVER"] == "Past its planned end (\u20682026-11-30\u2069), not finished"
    assert why["RISK"] == "At risk: \u206820\u2069% of target with \u206892\u2069% of its time gone"
    assert why["BACK"] == "Went back: \u2068Completed\u2069 last period, \u2068Cancelled\u2069 now"
    assert why["FELL"] == "Went back: total fell from \u206860\u2069 to \u206845\u2069"


def test_the_plan_margin_decides_at_risk():
    assert "RISK" not in [ref for ref, *_ in ranking(margin=80)]


def test_without_a_previous_period_nothing_is_a_regression():
    p = plan()
    layout = Layout(p, ["SDN"])
    data = ReportData(periods={"2026-Q4": rows("2026-Q4", Q4)})
    [now] = snapshots(layout, data, Period.parse("2026-Q4"), Period.parse("2026-Q4"))
    reasons = {layout.rows[a.row].ref: a.reason for a in ranked(now, None, 25)}
    assert Reason.REGRESSION not in reasons.values() and "SAID" in reasons


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 1, 1), 0.0),
        (date(2026, 7, 2), 50.0),
        (date(2027, 1, 1), 100.0),
        (date(2028, 1, 1), 100.0),
    ],
)
def test_elapsed_share_of_an_activity(as_of, expected):
    activity = (
        plan()
        .objectives[0]
        .activities[0]
        .model_copy(update={"start": date(2026, 1, 1), "end": date(2027, 1, 1)})
    )
    assert elapsed_percent(activity, as_of) == pytest.approx(expected, abs=0.2)


def test_no_dates_no_pace():
    activity = plan().objectives[0].activities[0].model_copy(update={"start": None})
    assert elapsed_percent(activity, datetime(2026, 6, 1).date()) is None


def test_support_needed_is_grouped_by_partner():
    from matrix.report.sections.executive import asking, partner_asks

    p = plan()
    layout = Layout(p, ["SDN"])
    asked = {"SAID": "A letter from the minister", "LATE": "Two vehicles"}  # SAID: partners B and C
    q4 = [
        r.model_copy(update={"support_needed": asked.get(r.ref, "")})
        for r in rows("2026-Q4", Q4).rows
    ]
    data = ReportData(periods={"2026-Q4": PeriodData(rows=q4)})
    [now] = snapshots(layout, data, Period.parse("2026-Q4"), Period.parse("2026-Q4"))
    asks = {
        (g.name, a.ref, a.text)
        for g in partner_asks(now, asking(now), Words(p, "en"))
        for a in g.asks
    }
    assert asks == {
        ("Bureau B", "SAID", "A letter from the minister"),
        ("Council C", "SAID", "A letter from the minister"),
        ("Agency A", "LATE", "Two vehicles"),
    }


def test_an_activity_completed_this_period_is_one_achievement_not_two():
    from matrix.report.sections.executive import achievements

    p = plan()
    layout = Layout(p, ["SDN"])
    q4 = {
        **Q4,
        "RISK": (Status.COMPLETED, 100, ""),  # completed, and its target reached
        "LATE": (Status.ON_TRACK, 120, ""),  # its target reached, still going
    }
    data = ReportData(periods={"2026-Q3": rows("2026-Q3", Q3), "2026-Q4": rows("2026-Q4", q4)})
    before, now = snapshots(layout, data, Period.parse("2026-Q3"), Period.parse("2026-Q4"))
    shown, total = achievements(now, before, Words(p, "en"))
    assert [(a.ref, a.what) for a in shown] == [("RISK", "Completed"), ("LATE", "Target reached")]
    assert total == 2
