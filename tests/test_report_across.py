"""One activity across the States (`matrix.report.sections.across`): the pace rule, the regional
figure by the declared rule, its change, and regressions first; on a small plan of three
countries with hand-worked figures."""

from __future__ import annotations

from datetime import datetime

import pytest

from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow
from matrix.report.build import build_context
from matrix.report.data import PeriodData, ReportData
from matrix.report.sections.across import pace

AT = datetime(2027, 2, 1, 8, 0)


@pytest.mark.parametrize(
    ("progress", "elapsed", "expected"),
    [
        (60, 50, "ahead"),
        (50, 50, "ahead"),
        (30, 50, "on_pace"),
        (25, 50, "on_pace"),
        (24.9, 50, "behind"),
        (0, 100, "behind"),
        (None, 50, None),
        (40, None, None),
    ],
)
def test_pace_against_time_elapsed(progress, elapsed, expected):
    assert pace(progress, elapsed, 25) == expected


def plan() -> Plan:
    return Plan.model_validate(
        {
            "schema_version": 1,
            "id": "p",
            "title": "T",
            "scope": "regional",
            "region": {"code": "REG", "name": "Region"},
            "countries": ["KEN", "TZA", "UGA"],
            "reporting": {"frequency": "quarterly", "first_period": "2026-Q3"},
            "actors": [
                {"id": "A", "name": "Agency A", "type": "ngo"},
                {"id": "B", "name": "Bureau B", "type": "ngo"},
            ],
            "objectives": [
                {
                    "id": "O",
                    "action_point": 1,
                    "title": "O",
                    "activities": [
                        {
                            "id": "SUM",
                            "title": "Trained",
                            "lead": "A",
                            "partners": ["B"],
                            "start": "2026-01-01",
                            "end": "2027-12-31",
                            "indicators": [{"name": "People", "unit": "people", "target": 100}],
                        },
                        {
                            "id": "MEAN",
                            "title": "Coverage",
                            "lead": "A",
                            "start": "2026-07-01",
                            "end": "2026-12-31",
                            "indicators": [
                                {
                                    "name": "Share",
                                    "unit": "%",
                                    "target": 80,
                                    "kind": "percent",
                                    "regional_total": "mean",
                                }
                            ],
                        },
                    ],
                }
            ],
        }
    )


def period(values: dict[tuple[str, str], tuple[Status, float]]) -> PeriodData:
    return PeriodData(
        rows=[
            ProgressRow(
                country=c,
                activity_id=ref,
                indicator_index=0,
                ref=ref,
                sheet="M",
                row=4,
                status=s,
                actual=v,
            )
            for (c, ref), (s, v) in values.items()
        ]
    )


ON, DONE, LATE = Status.ON_TRACK, Status.COMPLETED, Status.DELAYED
Q3 = {
    ("KEN", "SUM"): (ON, 20),
    ("TZA", "SUM"): (DONE, 100),
    ("UGA", "SUM"): (ON, 30),
    ("KEN", "MEAN"): (ON, 40),
    ("TZA", "MEAN"): (ON, 60),
    ("UGA", "MEAN"): (ON, 50),
}
Q4 = {
    ("KEN", "SUM"): (ON, 50),
    ("TZA", "SUM"): (LATE, 100),
    ("UGA", "SUM"): (ON, 60),
    ("KEN", "MEAN"): (ON, 70),
    ("TZA", "MEAN"): (ON, 80),
    ("UGA", "MEAN"): (DONE, 90),
}


@pytest.fixture(scope="module")
def ctx():
    data = ReportData(periods={"2026-Q3": period(Q3), "2026-Q4": period(Q4)})
    return build_context(plan(), data, "2026-Q4", generated_at=AT)


def test_regional_figures_follow_the_declared_rule_with_change_and_pace(ctx):
    by_id = {a.id: a for a in ctx.across}
    [trained] = by_id["SUM"].figures
    assert (trained.figure.value, trained.figure.target) == (
        50 + 100 + 60,
        300,
    )  # targets added up too
    assert trained.change == (50 + 100 + 60) - (20 + 100 + 30)
    # 70 % of the target with 50 % of 2026-2027 gone: ahead
    assert by_id["SUM"].elapsed == pytest.approx(100 * 364 / 729) and trained.pace == "ahead"
    [share] = by_id["MEAN"].figures
    assert share.figure.value == pytest.approx((70 + 80 + 90) / 3)
    assert share.change == pytest.approx((70 + 80 + 90) / 3 - 50)
    assert share.pace == "ahead"  # 100 % of the target (capped) at the very end


def test_strip_lead_partners_and_regressions_first(ctx):
    first = ctx.across[0]
    assert first.id == "SUM" and first.regressed  # TZA: completed in Q3, delayed now
    assert [(c.office, c.status, c.regressed) for c in first.strip] == [
        ("KEN", "on_track", False),
        ("TZA", "delayed", True),
        ("UGA", "on_track", False),
    ]
    assert first.went_back == "Tanzania"
    assert (first.lead, first.partners) == ("Agency A", "Bureau B")
    assert ctx.across_total == 2


def test_the_section_is_shown_with_its_numbers(ctx):
    from matrix.report.render import render_report

    html = render_report(ctx)
    section = html.split('<section id="across">', 1)[1].split("</section>", 1)[0]
    row = section.split('data-indicator="SUM"', 1)[1].split("</tr>", 1)[0]
    assert "210" in row and "300" in row and 'data-pace="ahead"' in row and "+60" in row
    assert "<polyline" in row and "<bdi>2026-Q3</bdi>&nbsp;50%" in row  # the chart and its numbers
    assert '<li class="sq sq-delayed sq-back" title="Tanzania: Delayed">TZA</li>' in section


def test_trends_per_action_point_and_indicator_carry_their_numbers(ctx):
    [ap] = [row for row in ctx.action_points if row.activities]
    # Q3: SUM 20, 100, 30 % and MEAN 50, 75, 62.5 % of 80 -> mean of six capped progresses
    q3 = (20 + 100 + 30 + 100 * 40 / 80 + 100 * 60 / 80 + 100 * 50 / 80) / 6
    q4 = (50 + 100 + 60 + 100 * 70 / 80 + 100 + 100) / 6
    assert [period for period, _ in ap.trend.values] == ["2026-Q3", "2026-Q4"]
    assert [v for _, v in ap.trend.values] == pytest.approx([q3, q4])
    [trained] = next(a for a in ctx.across if a.id == "SUM").figures
    assert [v for _, v in trained.trend.values] == pytest.approx([50, 70])
    (x0, y0), (x1, y1) = trained.trend.dots
    assert x0 < x1 and y1 < y0  # later, and higher up: progress grew


def test_a_single_period_draws_no_trend():
    data = ReportData(periods={"2026-Q3": period(Q3)})
    ctx = build_context(plan(), data, "2026-Q3", generated_at=AT)
    assert all(row.trend is None for row in ctx.action_points)
    assert all(f.trend is None for a in ctx.across for f in a.figures)


def test_spark_geometry_caps_percents_and_skips_gaps():
    from matrix.report.charts import SPARK_HEIGHT, SPARK_PAD, spark

    drawn = spark(["a", "b", "c"], [0.0, None, 150.0])
    assert drawn.dots == [(SPARK_PAD, SPARK_HEIGHT - SPARK_PAD), (120 - SPARK_PAD, SPARK_PAD)]
    assert drawn.values == [("a", 0.0), ("b", None), ("c", 150.0)]  # the numbers as reported
