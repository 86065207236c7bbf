"""What offices write besides figures, in the report: each office's overview at the top of its
section, the stock-take (initiatives outside the plan and proposed activities) per action point
and per office, and the good practices of the period; checked in the context and in real
Chromium."""

from __future__ import annotations

from datetime import datetime

import pytest

from matrix.i18n import t
from matrix.report.build import build_context
from matrix.report.context import OverviewItem
from matrix.report.render import write_report
from report_helpers import PAYLOAD, dar_data
from test_report_browser import PHONE, Visit, browser  # noqa: F401 - the browser fixture

AT = datetime(2027, 2, 1, 8, 0)


@pytest.fixture(scope="module")
def plan(dar_english):
    return dar_english


@pytest.fixture(scope="module")
def ctx(plan):
    return build_context(plan, dar_data(plan), "2026-Q4", generated_at=AT)


def section(ctx, office):
    return next(c for c in ctx.countries if c.office == office)


def test_each_office_section_opens_with_its_overview(ctx, plan):
    assert section(ctx, "KEN").overview == [
        OverviewItem(heading="Main trends in mixed movements", text="Trends in KEN, 2026-Q4.")
    ]
    assert section(ctx, "MWI").overview == []  # it wrote none
    french = build_context(plan, dar_data(plan), "2026-Q4", lang="fr", generated_at=AT)
    assert section(french, "KEN").overview[0].heading == t("fr", "overview.heading.main_trends")


def test_the_stock_take_per_action_point_and_per_office(ctx):
    groups = {
        g.action_point: ([i.office for i in g.initiatives], [p.office for p in g.proposed])
        for g in ctx.stock_take
    }
    assert groups == {
        "2. Capacity-building": ([], ["ETH"]),
        "3. Operations": (["KEN"], []),
        "6. Cooperation and coordination": (["TZA"], []),
    }
    [initiative] = section(ctx, "KEN").initiatives
    assert (initiative.ref, initiative.dates, initiative.status) == (
        "I1",
        "2025-02-01 – …",
        "on_track",
    )
    [proposed] = section(ctx, "ETH").proposed
    assert (proposed.action_point, proposed.lead, proposed.status_label) == (
        "2. Capacity-building",
        "IOM",
        "On track",
    )


def test_the_good_practices_of_the_period(ctx):
    assert [(p.office, p.title, p.action_point) for p in ctx.good_practices] == [
        ("KEN", "Kenya: a profiling desk at Moyale", "3. Operations"),
        ("EHAGL", "Region: national trainers certified", "2. Capacity-building"),
    ]
    kenya = ctx.good_practices[0]
    assert [ref.anchor for ref in section(ctx, "KEN").practices] == [kenya.anchor]
    assert kenya.years == "2026–2027" and kenya.actions == ["First step", "Second step"]


@pytest.mark.browser
def test_the_sections_in_a_browser(browser, ctx, tmp_path):  # noqa: F811
    path = write_report(ctx, tmp_path / "report.html")
    visit = Visit(browser, path)
    visit.assert_clean()  # the good practices' links are not followed by the page
    page = visit.page
    kenya = page.locator("article[data-office=KEN]")
    # the overview comes first in the office's section, before its figures
    first_block = kenya.locator(":scope > div").nth(1)
    assert first_block.get_attribute("data-overview") == "KEN"
    assert kenya.locator(".overview dd").first.inner_text() == "Trends in KEN, 2026-Q4."
    assert visit.text("#stock-take tr[data-initiative='TZA/I1'] td.title") == f"I1 {PAYLOAD}"
    assert page.locator("script").count() == 0
    practice = page.locator(f"#{ctx.good_practices[0].anchor}")
    assert practice.locator("h3").inner_text() == "Kenya: a profiling desk at Moyale"
    assert practice.locator("[data-part=actions] li").all_inner_texts() == [
        "First step",
        "Second step",
    ]
    link = practice.locator("a.ext")
    assert (link.get_attribute("href"), link.get_attribute("rel")) == (
        "https://www.unhcr.org/report.pdf",
        "noopener noreferrer nofollow",
    )
    kenya.locator(f"a[href='#{ctx.good_practices[0].anchor}']").click()
    assert page.evaluate("location.hash") == f"#{ctx.good_practices[0].anchor}"
    visit.assert_clean()
    page.screenshot(path=tmp_path / "report-narratives.png", full_page=True)
    page.close()


@pytest.mark.browser
def test_the_sections_right_to_left_and_on_a_phone(browser, plan, tmp_path):  # noqa: F811
    arabic = build_context(plan, dar_data(plan), "2026-Q4", lang="ar", generated_at=AT)
    path = write_report(arabic, tmp_path / "report-ar.html")
    visit = Visit(browser, path, viewport=PHONE)
    visit.assert_clean()
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert visit.text("#good-practices h2") == t("ar", "report.section.good_practices")
    assert (
        visit.page.evaluate("getComputedStyle(document.querySelector('.practice')).direction")
        == "rtl"
    )
    visit.page.close()
