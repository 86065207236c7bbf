"""The report's figures, computed from a known store content (tests/report_helpers.py)."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import BaseModel

from matrix.errors import MatrixError
from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow
from matrix.report import context as context_module
from matrix.report.build import build_context
from matrix.report.counting import NOT_REPORTED, status_of
from matrix.report.data import PeriodData, ReportData
from matrix.report.findings import DUPLICATE_THRESHOLD, similarity
from matrix.store import Submission
from report_helpers import dar_data

AT = datetime(2027, 2, 1, 8, 0)


@pytest.fixture(scope="module")
def plan(dar_english):
    return dar_english


@pytest.fixture(scope="module")
def ctx(plan):
    return build_context(plan, dar_data(plan), "2026-Q4", generated_at=AT)


def counts(bar) -> dict[str, int]:
    return {c.status: c.count for c in bar.counts}


def test_headline_counts_every_activity_once_per_office(ctx):
    h = ctx.headline
    assert h.activities == 43
    assert counts(h.status) == {
        "completed": 1,
        "on_track": 27,
        "delayed": 2,
        "not_started": 0,
        "cancelled": 0,
        "not_reported": 13,
    }
    assert sum(c.count for c in h.status.counts) == h.activities
    assert h.completed_change == 1


def test_returns_received_late_rejected_missing(ctx):
    r = ctx.headline.returns
    assert (r.expected, r.received, r.late, r.rejected, r.missing) == (7, 5, 1, 1, 1)
    states = {ret.office: (ret.state, ret.days_late) for ret in ctx.returns}
    assert states == {
        "ETH": ("on_time", None),
        "KEN": ("on_time", None),
        "TZA": ("on_time", None),
        "MWI": ("late", 9),
        "MOZ": ("missing", None),
        "ZAF": ("rejected", None),
        "EHAGL": ("on_time", None),
    }
    zaf = next(ret for ret in ctx.returns if ret.office == "ZAF")
    assert zaf.errors == ["Matrix!E9: activity X: lead 'XYZ' is not among the actors"]


def test_funding_sums_budgets_once_and_secured_per_office(ctx):
    f = ctx.headline.funding
    assert (f.requirement, f.secured, f.gap) == (660_000, 140_000, 520_000)
    by_ap = {
        row.key: (row.funding.requirement, row.funding.secured)
        for row in ctx.funding_by_action_point
    }
    assert by_ap == {
        "CAP": (145_000, 50_000),
        "OPS": (195_000, 50_000),
        "OUT": (80_000, 20_000),
        "DAT": (90_000, 10_000),
        "COO": (150_000, 10_000),
    }
    assert {row.key for row in ctx.funding_by_actor} == {"UNHCR", "IOM", "GOV", "SADC"}


def test_progress_heat_map_and_targets(ctx):
    columns = [column.id for column in ctx.heat_columns]
    heat = {row.office: dict(zip(columns, row.cells, strict=True)) for row in ctx.heat_rows}
    assert heat["KEN"]["CAP"].value == 100 and heat["KEN"]["CAP"].level == "p100"
    assert heat["KEN"]["LEG"].value == 0 and heat["KEN"]["LEG"].level == "p0"
    assert heat["ZAF"]["LEG"].level == "none"
    assert heat["MOZ"]["CAP"].level == "unreported"
    assert heat["TZA"]["OPS"].delayed == 1
    assert ctx.headline.targets_reached == 1  # KEN CAP-1: 150 of 150
    assert ctx.headline.indicators_with_target == 58  # OPS-1's four indicators in five countries


def test_needs_attention_ranks_with_a_reason(ctx):
    listed = [(ln.office, ln.ref, ln.reason, ln.comments) for ln in ctx.delayed]
    assert listed == [
        ("KEN", "LEG-1", "at_risk", ""),  # on track, 0 of its target with most of its time gone
        ("MWI", "LEG-2", "delayed_unexplained", ""),
        (
            "TZA",
            "OPS-2",
            "regression",
            "<script>alert(1)</script>",
        ),  # half its target in Q3, 20 now
    ]
    assert ctx.delayed[1].reason_text == "Delayed, with no explanation"
    assert "fell from" in ctx.delayed[2].reason_text


def test_changes_since_previous_period(ctx):
    assert ctx.previous_period == "2026-Q3"
    changes = {(c.office_name, c.ref, c.after_status) for c in ctx.changes}
    assert changes == {
        ("Kenya", "LEG-1", "on_track"),
        ("Kenya", "CAP-1", "completed"),
        ("Tanzania", "OPS-2", "delayed"),
        ("Malawi", "LEG-2", "delayed"),
    }
    assert [p.period for p in ctx.trend.points] == ["2026-Q3", "2026-Q4"]
    assert [p.returns_received for p in ctx.trend.points] == [7, 5]


def test_gaps_duplicates_and_quality(ctx):
    assert any(
        g.startswith("1. Legislative") and "South Africa" in g
        for g in ctx.gaps.action_point_office_gaps
    )
    assert ctx.gaps.activities_without_lead == [] and ctx.gaps.indicators_without_target == []
    assert [(d.office, d.first_lead, d.second_lead) for d in ctx.duplicates] == [
        ("ETH", "UNHCR", "IOM")
    ]
    assert [(w.office_name, w.file, w.where, w.code) for w in ctx.quality] == [
        ("Ethiopia", "ETH_2026-Q4.xlsx", "Matrix!K7", "indicator-without-target")
    ]


def test_one_country_report(plan):
    ctx = build_context(plan, dar_data(plan), "2026-Q4", country="ken ", generated_at=AT)
    assert [s.office for s in ctx.countries] == ["KEN"]
    assert ctx.headline.returns.expected == 1
    assert counts(ctx.headline.status)["completed"] == 1
    with pytest.raises(MatrixError, match="not an office"):
        build_context(plan, dar_data(plan), "2026-Q4", country="FRA", generated_at=AT)


def test_period_must_belong_to_the_plan(plan):
    with pytest.raises(ValueError, match="quarter"):
        build_context(plan, dar_data(plan), "2026-09", generated_at=AT)


def test_arabic_is_right_to_left_and_mirrors_bars(plan):
    ctx = build_context(plan, dar_data(plan), "2026-Q4", lang="ar", generated_at=AT)
    assert ctx.direction == "rtl"
    first = ctx.headline.status.segments[0]
    assert first.status == "completed" and first.x + first.width == pytest.approx(100)
    assert ctx.labels["report.title"] == "تقرير التقدم"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.DELAYED, Status.COMPLETED], "delayed"),
        ([Status.COMPLETED, Status.CANCELLED], "completed"),
        ([Status.CANCELLED], "cancelled"),
        ([Status.NOT_STARTED, Status.CANCELLED], "not_started"),
        ([Status.NOT_STARTED, Status.COMPLETED], "on_track"),
        ([Status.ON_TRACK, None], "not_reported"),
    ],
)
def test_activity_status_is_the_most_pressing(statuses, expected):
    assert status_of({s.value if s else NOT_REPORTED for s in statuses}) == expected


def test_per_period_indicators_are_summed():
    plan = Plan.model_validate(
        {
            "schema_version": 1,
            "id": "p",
            "title": "T",
            "scope": "national",
            "countries": ["SDN"],
            "reporting": {"frequency": "quarterly", "first_period": "2026-Q3"},
            "actors": [{"id": "A", "name": "A", "type": "ngo"}],
            "objectives": [
                {
                    "id": "O",
                    "action_point": 1,
                    "title": "O",
                    "activities": [
                        {
                            "id": "X",
                            "title": "X",
                            "lead": "A",
                            "indicators": [
                                {
                                    "name": "Sessions",
                                    "unit": "sessions",
                                    "target": 10,
                                    "cumulative": False,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )

    def period(actual, comments=""):
        row = ProgressRow(
            country="SDN",
            activity_id="X",
            indicator_index=0,
            ref="X",
            sheet="M",
            row=4,
            status=Status.ON_TRACK,
            actual=actual,
            comments=comments,
        )
        return PeriodData(rows=[row])

    subs = [
        Submission(
            office="SDN", period=p, file_name="f", received_at=AT, accepted=True, counts=True
        )
        for p in ("2026-Q3", "2026-Q4")
    ]
    data = ReportData(
        periods={"2026-Q3": period(3), "2026-Q4": period(4, "Four sessions held")}, submissions=subs
    )
    ctx = build_context(plan, data, "2026-Q4", generated_at=AT)
    assert ctx.countries[0].lines == []  # a comment alone is not attention
    assert ctx.countries[0].average_progress == 70  # 3 + 4 of 10
    assert [p.average_progress for p in ctx.trend.points] == [30, 70]
    assert ctx.headline.funding is None
    assert ctx.gaps.action_points_without_activity[0].startswith("2. ")


def test_similarity_threshold_separates_rewording_from_topic():
    assert (
        similarity(
            "Joint training of border officials on mixed movements",
            "Training of border officials on mixed-movements!",
        )
        >= DUPLICATE_THRESHOLD
    )
    assert (
        similarity(
            "Information campaigns on the risks of irregular movement",
            "Awareness-raising against xenophobia in host communities",
        )
        < DUPLICATE_THRESHOLD
    )


def test_every_context_field_has_a_description():
    models = [
        m
        for m in vars(context_module).values()
        if isinstance(m, type)
        and issubclass(m, BaseModel)
        and m.__module__ == context_module.__name__
    ]
    assert context_module.ReportContext in models
    missing = [
        f"{m.__name__}.{name}"
        for m in models
        for name, f in m.model_fields.items()
        if not f.description
    ]
    assert missing == []


def test_highlights_say_what_is_late_missing_and_short(ctx):
    assert [
        (h.anchor, h.text.replace("\u2068", "").replace("\u2069", "")) for h in ctx.highlights
    ] == [
        ("delayed", "Activities delayed or past their planned end: 2."),
        ("trends", "Activities newly completed since 2026-Q3: 1."),
        ("returns", "No usable return yet from: Mozambique and South Africa."),
        ("funding", "Largest funding gap: 3. Operations, 145,000 USD still to find."),
        ("duplicates", "Pairs of activities that look alike and may duplicate effort: 1."),
        (
            "stock-take",
            "New activities offices propose: 1, of which likely already in the plan: 1.",
        ),
    ]


def test_an_office_reported_in_a_regional_return_counts_as_received(plan):
    data = dar_data(plan)
    moz_rows = [
        r.model_copy(update={"country": "MOZ"})
        for r in data.periods["2026-Q3"].rows
        if r.country == "MOZ"
    ]
    regional = Submission(
        office="EHAGL",
        period="2026-Q4",
        file_name="EHAGL_v2.xlsx",
        received_at=datetime(2027, 1, 6),
        accepted=True,
        counts=True,
        countries=frozenset({"EHAGL", "MOZ"}),
    )
    data.periods["2026-Q4"].rows.extend(moz_rows)
    data.submissions.append(regional)
    ctx = build_context(plan, data, "2026-Q4", generated_at=AT)
    moz = next(r for r in ctx.returns if r.office == "MOZ")
    assert (moz.state, moz.via, moz.file) == ("on_time", "Region-wide (EHAGL)", "EHAGL_v2.xlsx")


def test_executive_page_achievements_gaps_and_asks(ctx):
    # completed, and its target reached, this quarter: listed once
    assert [(a.office_name, a.ref, a.what) for a in ctx.achievements] == [
        ("Kenya", "CAP-1", "Completed")
    ]
    assert ctx.achievements_total == 1
    gaps = [g.funding.gap for g in ctx.largest_gaps]
    assert gaps == sorted(gaps, reverse=True) and all(gap > 0 for gap in gaps) and len(gaps) <= 5
    assert ctx.largest_gaps[0].label.startswith(ctx.largest_gaps[0].key + " ")
    assert ctx.partner_asks == []  # no office wrote what support it needs in this store


def test_map_colours_each_country_by_its_progress(ctx, plan):
    from matrix.report.sections.map import boundaries

    shapes = {s.office: s for s in ctx.map.shapes}
    assert list(shapes) == [c for c in plan.countries if c in boundaries()] and "KEN" in shapes
    kenya = next(c for c in ctx.countries if c.office == "KEN")
    assert shapes["KEN"].value == kenya.average_progress and shapes["KEN"].level.startswith("p")
    assert shapes["MOZ"].level == "unreported"  # it sent nothing
    assert ctx.map.left_out == [ctx.countries[-1].name]  # the region has no boundary
    xs = [
        float(v.split(",")[0])
        for v in shapes["KEN"].path[1:].replace("Z", "").split("L")
        if "M" not in v
    ]
    assert 0 <= min(xs) < max(xs) <= ctx.map.width
    one = build_context(plan, dar_data(plan), "2026-Q4", country="KEN", generated_at=AT)
    assert one.map is None  # a map of one country says nothing its section does not


def test_the_shipped_boundaries_are_small_and_cover_the_plans(plan):
    from matrix.report.sections import map as map_section

    path = map_section.files("matrix.report").joinpath("maps", "countries.json")
    assert len(path.read_bytes()) < 300_000
    assert set(plan.countries) <= set(map_section.boundaries())
