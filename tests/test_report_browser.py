"""The report in a real browser (Debian's chromium driven by Playwright): no errors, no request
leaving the file, the figures of the store on screen, right-to-left Arabic, script shown as text."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from conftest import require_tool
from matrix.report.build import build_context
from matrix.report.render import write_report
from report_helpers import PAYLOAD, dar_data, dar_plan

pytestmark = pytest.mark.browser

AT = datetime(2027, 2, 1, 8, 0)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    require_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page opened on a report file, with everything it logged, requested and popped up."""

    def __init__(self, browser, path, viewport=DESKTOP):
        self.url = path.resolve().as_uri()
        self.errors, self.requests, self.dialogs = [], [], []
        self.page = browser.new_page(viewport=viewport)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)

    def assert_clean(self):
        assert self.errors == []
        assert self.requests == [self.url]
        assert self.dialogs == []

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text().strip()


def percent(value: float) -> str:
    return f"{value:.0f}\u202f%"


@pytest.fixture(scope="module")
def plan():
    return dar_plan()


def report(plan, tmp_path, lang="en"):
    ctx = build_context(plan, dar_data(plan), "2026-Q4", lang=lang, generated_at=AT)
    return ctx, write_report(ctx, tmp_path / f"report-{lang}.html")


def test_report_shows_the_figures_offline(browser, plan, tmp_path):
    ctx, path = report(plan, tmp_path)
    visit = Visit(browser, path)
    visit.assert_clean()
    h = ctx.headline
    assert visit.text("[data-figure=activities] .v") == str(h.activities)
    assert visit.text("[data-value=returns-received]") == str(h.returns.received)
    assert visit.text("[data-figure=progress] .v") == percent(h.average_progress)
    kenya = next(c for c in ctx.countries if c.office == "KEN")
    assert visit.text("article[data-office=KEN] [data-value=office-progress]") == percent(kenya.average_progress)
    assert visit.text("#returns tr[data-office=MOZ] .chip") == "Missing"
    assert visit.text("#returns tr[data-office=MWI] .chip") == "Late"
    visit.page.screenshot(path=tmp_path / "report-desktop.png", full_page=True)
    visit.page.close()


def test_report_fits_a_phone_and_prints(browser, plan, tmp_path):
    _, path = report(plan, tmp_path)
    visit = Visit(browser, path, viewport=PHONE)
    visit.assert_clean()
    assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visit.page.screenshot(path=tmp_path / "report-phone.png", full_page=True)
    visit.page.emulate_media(media="print")
    assert visit.page.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    assert visit.page.evaluate("getComputedStyle(document.querySelector('#returns')).breakBefore") == "page"
    pdf = visit.page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf)
    visit.page.close()


def test_arabic_report_is_right_to_left(browser, plan, tmp_path):
    ctx, path = report(plan, tmp_path, lang="ar")
    visit = Visit(browser, path)
    visit.assert_clean()
    assert visit.page.evaluate("document.documentElement.getAttribute('lang')") == "ar"
    assert visit.page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert visit.text("h2") == ctx.labels["report.section.summary"]
    assert visit.text("[data-figure=activities] .v") == str(ctx.headline.activities)
    visit.page.screenshot(path=tmp_path / "report-ar.png", full_page=True)
    visit.page.close()


def test_script_in_a_comment_is_shown_as_text(browser, plan, tmp_path):
    _, path = report(plan, tmp_path)
    visit = Visit(browser, path)
    visit.assert_clean()
    assert visit.page.locator("script").count() == 0
    assert visit.text("#delayed tr[data-ref='TZA/OPS-2'] td.text") == PAYLOAD
    visit.page.close()
