"""Counting that says what it counts (issue 10.4), with figures computed by hand on a small
regional plan: plan activities and activity-in-country instances, what each actor leads and
where, proposed activities flagged when the plan likely has them, and unbudgeted funding."""

from __future__ import annotations

from datetime import datetime

import pytest

from matrix.models.plan import Status
from matrix.models.returns import ProgressRow, ProposedActivity
from matrix.plan import load_plan
from matrix.report.build import build_context
from matrix.report.data import PeriodData, ReportData
from matrix.report.render import render_report
from matrix.store import Submission

AT = datetime(2026, 11, 1, 8, 0)
COUNTRIES = ["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG", "IRN"]
PLAN = """\
schema_version: 1
id: central-asia
title: Central Asia mixed movements
scope: regional
framework: 10-point-plan
region: {code: CA, name: Central Asia}
countries: [KAZ, KGZ, TJK, TKM, UZB, AFG, IRN]
currency: USD
reporting: {frequency: quarterly, first_period: 2026-Q3}
actors:
  - {id: IOM, name: International Organization for Migration, type: international_organisation}
  - {id: UNHCR, name: UNHCR, type: un_agency}
  - {id: NGO, name: Legal aid network, type: ngo}
objectives:
  - id: O1
    action_point: 1
    title: Cooperation
    activities:
      - id: A1
        title: Training of border officials on protection-sensitive entry systems
        lead: IOM
        partners: [UNHCR]
        indicators: [{name: Officials trained, unit: people, target: 100}]
      - id: A2
        title: National referral mechanism for victims of trafficking
        lead: UNHCR
        partners: [NGO]
        budget: 10000
        indicators: [{name: Mechanisms in place, unit: mechanisms, target: 1}]
      - id: A3
        title: Legal aid desks at border crossings
        lead: NGO
        countries: [KAZ, KGZ, TJK, UZB]
        indicators: [{name: People advised, unit: people, target: 400}]
      - id: A4
        title: Data sharing on arrivals
        lead: UNHCR
        countries: [AFG, IRN]
        budget: 5000
        indicators: [{name: Reports shared, unit: reports, target: 4}]
      - id: A5
        title: Regional coordination platform
        lead: UNHCR
        partners: [IOM]
        regional: true
        indicators: [{name: Meetings held, unit: meetings, target: 4}]
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return load_plan(path)


def row(office, activity, funds=None, status=Status.ON_TRACK):
    return ProgressRow(
        country=office,
        activity_id=activity,
        indicator_index=0,
        ref=activity,
        sheet="Matrix",
        row=5,
        status=status,
        actual=1,
        funds_secured=funds,
    )


def proposal(title, lead="IOM"):
    return ProposedActivity(
        sheet="New activities", row=4, title=title, lead=lead, status=Status.NOT_STARTED
    )


@pytest.fixture(scope="module")
def ctx(plan):
    rows = [
        row("KAZ", "A1", funds=5000),
        row("KGZ", "A1", funds=2000),  # A1 has no budget: unbudgeted
        row("KAZ", "A2", funds=2500),
        row("KGZ", "A2", funds=1000),  # A2's 10,000: 3,500 secured
        row("AFG", "A4", funds=5000),  # A4's 5,000: fully secured
    ]
    proposed = {
        "KAZ": [
            proposal("Training of border officials on protection sensitive entry"),
            proposal("Mobile clinics for people on the move", lead="NGO"),
        ],
        "KGZ": [proposal("Training of border officials on protection-sensitive entry systems")],
    }
    data = ReportData(
        periods={"2026-Q3": PeriodData(rows=rows, proposed=proposed)},
        submissions=[
            Submission(
                office=o, period="2026-Q3", file_name=f"{o}.xlsx", received_at=AT, accepted=True
            )
            for o in ("KAZ", "KGZ", "AFG")
        ],
    )
    return build_context(plan, data, "2026-Q3", generated_at=AT)


def test_headline_separates_plan_activities_from_activity_in_country_instances(ctx):
    # A1 and A2 in 7 countries, A3 in 4, A4 in 2, A5 once region-wide: 7 + 7 + 4 + 2 + 1 = 21
    assert (ctx.headline.plan_activities, ctx.headline.activities) == (5, 21)
    assert ctx.headline.status.total == 21


def test_a_one_office_report_counts_that_office_s_activities(plan):
    one = build_context(plan, ReportData(), "2026-Q3", country="AFG", generated_at=AT)
    assert (one.headline.plan_activities, one.headline.activities) == (3, 3)  # A1, A2, A4


def test_actors_say_how_many_activities_they_lead_and_where(ctx):
    actors = {a.id: a for a in ctx.actors}
    iom, unhcr, ngo = actors["IOM"], actors["UNHCR"], actors["NGO"]
    assert (iom.leads, iom.leads_activities, iom.leads_offices) == (7, 1, 7)
    assert iom.leads_text == "1 activity in 7 countries"
    assert (iom.partners_in, iom.partner_activities, iom.partner_offices) == (1, 1, 1)
    assert iom.partner_text == "1 activity region-wide"
    # A2 in 7 countries, A4 in AFG and IRN (already counted), A5 region-wide
    assert (unhcr.leads, unhcr.leads_activities, unhcr.leads_offices) == (10, 3, 8)
    assert unhcr.leads_text == "3 activities in 7 countries and region-wide"
    assert unhcr.partner_text == "1 activity in 7 countries"
    assert (ngo.leads_text, ngo.partner_text) == (
        "1 activity in 4 countries",
        "1 activity in 7 countries",
    )


def test_actor_figures_in_the_report(ctx):
    html = render_report(ctx)
    assert '<td data-value="leads">1 activity in 7 countries</td>' in html
    assert '<td data-value="leads">3 activities in 7 countries and region-wide</td>' in html


def test_actor_figures_in_another_language(plan):
    french = build_context(plan, ReportData(), "2026-Q3", lang="fr", generated_at=AT)
    assert {a.id: a.leads_text for a in french.actors}[
        "UNHCR"
    ] == "3 activités dans 7 pays et au niveau régional"


def test_funds_secured_on_unbudgeted_activities_are_unbudgeted_funding(ctx):
    funding = ctx.headline.funding
    assert (funding.requirement, funding.secured, funding.gap, funding.unbudgeted) == (
        15000,
        8500,
        6500,
        7000,
    )
    by_actor = {r.key: r.funding for r in ctx.funding_by_actor}
    assert (by_actor["IOM"].requirement, by_actor["IOM"].secured, by_actor["IOM"].unbudgeted) == (
        0,
        0,
        7000,
    )
    assert by_actor["IOM"].funded_percent is None
    assert (
        by_actor["UNHCR"].requirement,
        by_actor["UNHCR"].secured,
        by_actor["UNHCR"].unbudgeted,
    ) == (15000, 8500, 0)
    assert "NGO" not in by_actor  # nothing budgeted, nothing secured
    [ap1] = ctx.funding_by_action_point
    assert (ap1.funding.requirement, ap1.funding.secured, ap1.funding.unbudgeted) == (
        15000,
        8500,
        7000,
    )
    html = render_report(ctx)
    assert 'data-value="unbudgeted">also 7,000 secured on activities without a budget' in html


def test_a_plan_without_budgets_still_shows_unbudgeted_funding(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        PLAN.replace("        budget: 10000\n", "").replace("        budget: 5000\n", ""),
        encoding="utf-8",
    )
    plan = load_plan(path)
    data = ReportData(periods={"2026-Q3": PeriodData(rows=[row("KAZ", "A1", funds=300)])})
    funding = build_context(plan, data, "2026-Q3", generated_at=AT).headline.funding
    assert (funding.requirement, funding.secured, funding.unbudgeted, funding.funded_percent) == (
        0,
        0,
        300,
        None,
    )


def test_proposed_activities_in_each_office_and_consolidated_with_likely_plan_duplicates(ctx):
    offices = {section.office: section for section in ctx.countries}
    kaz = offices["KAZ"].proposed
    assert [(p.title, p.like_plan) for p in kaz] == [
        (
            "Training of border officials on protection sensitive entry",
            "A1 Training of border officials on protection-sensitive entry systems",
        ),
        ("Mobile clinics for people on the move", ""),
    ]
    assert 75 <= kaz[0].similarity < 100
    [kgz] = offices["KGZ"].proposed
    assert kgz.similarity == 100  # the plan's own title, proposed again
    listed = [(p.office, p.title) for group in ctx.stock_take for p in group.proposed]
    assert sorted(listed) == sorted(
        [("KAZ", kaz[0].title), ("KAZ", kaz[1].title), ("KGZ", kgz.title)]
    )
    html = render_report(ctx)
    assert html.count('data-like-plan="A1"') == 4  # in the stock-take and in each office's section


def test_highlight_counts_proposals_and_likely_duplicates(ctx):
    [line] = [h.text for h in ctx.highlights if h.anchor == "stock-take"]
    assert line.replace("\u2068", "").replace("\u2069", "") == (
        "New activities offices propose: 3, of which likely already in the plan: 2."
    )
