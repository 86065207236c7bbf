"""The report in a real browser (Debian's chromium driven by Playwright): no errors, no request
leaving the file, the figures of the store on screen, right-to-left Arabic, script shown as text."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from checkout import require_browser
from matrix.collect import collect
from matrix.demo import REPORT_AT, SEED, Arrival, fill_workbook, run_demo
from matrix.generate import generate
from matrix.i18n import issue_message, status_label, t
from matrix.models.plan import Status
from matrix.plan import load_plan
from matrix.report.build import build_context
from matrix.report.render import write_report
from matrix.report.source import from_store, make_report
from matrix.store import Store
from report_helpers import PAYLOAD, dar_data

pytestmark = pytest.mark.browser

AT = datetime(2027, 2, 1, 8, 0)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    path = require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
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
    """A percentage as the English report writes it (Babel: no space before the sign)."""
    return f"{value:.0f}%"


@pytest.fixture(scope="module")
def plan(dar_english):
    return dar_english


def report(plan, tmp_path, lang="en"):
    ctx = build_context(plan, dar_data(plan), "2026-Q4", lang=lang, generated_at=AT)
    return ctx, write_report(ctx, tmp_path / f"report-{lang}.html")


def test_report_shows_the_figures_offline(browser, plan, tmp_path):
    ctx, path = report(plan, tmp_path)
    visit = Visit(browser, path)
    visit.assert_clean()
    h = ctx.headline
    assert visit.text("[data-figure=activities] .v") == str(h.plan_activities)
    assert visit.text("[data-value=instances]").startswith(f"{h.activities} ")
    assert visit.text("[data-value=returns-received]") == str(h.returns.received)
    assert visit.text("[data-figure=progress] .v") == percent(h.average_progress)
    kenya = next(c for c in ctx.countries if c.office == "KEN")
    assert visit.text("article[data-office=KEN] [data-value=office-progress]") == percent(
        kenya.average_progress
    )
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
    assert (
        visit.page.evaluate("getComputedStyle(document.querySelector('thead')).display")
        == "table-header-group"
    )
    assert (
        visit.page.evaluate("getComputedStyle(document.querySelector('#summary')).breakAfter")
        == "page"
    )
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
    assert visit.text("[data-figure=activities] .v") == str(ctx.headline.plan_activities)
    visit.page.screenshot(path=tmp_path / "report-ar.png", full_page=True)
    visit.page.close()
    phone = Visit(browser, path, viewport=PHONE)
    phone.assert_clean()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.page.screenshot(path=tmp_path / "report-ar-phone.png", full_page=True)
    phone.page.close()


CLIPPED = """() => [...document.querySelectorAll('body *')].filter(el => {
    const style = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    return clips && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim();
}).map(el => el.tagName + ': ' + el.innerText.slice(0, 40))"""
"""Elements whose text is cut: they hide what overflows them, and something does."""


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_report_in_another_language_has_no_english_word_and_no_cut_text(
    browser, plan, tmp_path, lang
):
    """Everything the report says is in its language: section texts, statuses (never a raw
    `not_started`), the framework's title, the data-quality findings; and nothing is cut."""
    _, path = report(plan, tmp_path, lang=lang)
    visit = Visit(browser, path)
    visit.assert_clean()
    assert visit.page.evaluate(CLIPPED) == []
    text = visit.page.inner_text("body")
    assert not re.search(r"\b(not_started|on_track|not_reported|on_time)\b", text)
    assert (
        t(lang, "framework.dar-es-salaam-2010.title")
        in visit.page.locator(".eyebrow").text_content()
    )
    quality = visit.page.locator("#quality td.text").all_inner_texts()
    assert quality and all(
        message == issue_message(issue, lang)
        for message, issue in zip(
            quality,
            [i for s in dar_data(plan).submissions for i in s.problems if not i.is_error],
            strict=False,
        )
    )
    assert (
        not any(re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", message) for message in quality)
        or lang == "fr"
    )
    assert all(
        visit.text(f".chip-{status.value}") == status_label(status, lang)
        for status in Status
        if visit.page.locator(f".chip-{status.value}").count()
    )
    visit.page.close()
    phone = Visit(browser, path, viewport=PHONE)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.page.evaluate(CLIPPED) == []
    phone.page.close()


def test_script_in_a_comment_is_shown_as_text(browser, plan, tmp_path):
    _, path = report(plan, tmp_path)
    visit = Visit(browser, path)
    visit.assert_clean()
    assert visit.page.locator("script").count() == 0
    assert visit.text("#delayed tr[data-ref='TZA/OPS-2'] td.text") == PAYLOAD
    visit.page.close()


def test_demo_report_shows_the_store_figures(browser, tmp_path):
    summary = run_demo(tmp_path / "demo")
    plan = load_plan(summary.plan)
    with Store.open(summary.store, create=False) as store:
        ctx = from_store(plan, store, "2026-Q4", generated_at=REPORT_AT)
    visit = Visit(browser, summary.report)
    visit.assert_clean()
    h = ctx.headline
    assert visit.text("[data-figure=activities] .v") == str(h.plan_activities)
    assert visit.text("[data-value=returns-received]") == str(h.returns.received)
    assert visit.text("[data-figure=funding] .v") == percent(h.funding.funded_percent)
    for section in ctx.countries:
        shown = visit.text(f"article[data-office={section.office}] [data-value=office-progress]")
        assert shown == (
            percent(section.average_progress) if section.average_progress is not None else "–"
        )
    for ap in ctx.action_points:
        cells = visit.page.locator(f"#action-points tr[data-ap={ap.id}] td").all_inner_texts()
        assert cells[1] == str(ap.activities)
        assert cells[2 : 2 + len(ap.status.counts)] == [str(c.count) for c in ap.status.counts]
    assert visit.text("#returns tr[data-office=ZAF] .chip") == "Late"
    assert visit.text("#returns tr[data-office=EHAGL] .chip") == "Missing"
    visit.page.screenshot(path=tmp_path / "demo-report.png", full_page=True)
    visit.page.close()


def test_script_typed_in_a_workbook_comment_stays_text(browser, tmp_path, dar):
    import openpyxl

    plan = dar
    [blank] = generate(
        plan, "2026-Q3", countries=["KEN"], regional=False, lang="en", out_dir=tmp_path / "blank"
    )
    returned = tmp_path / blank.name
    arrival = Arrival("KEN", "2026-Q3", REPORT_AT)
    fill_workbook(plan, blank, returned, arrival, SEED)
    wb = openpyxl.load_workbook(returned)
    ws = wb["Matrix"]
    headers = {cell.value: cell.column for cell in ws[3]}
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, headers["Ref"]).value == "LEG-1")
    ws.cell(row, headers["Comments / evidence"]).value = PAYLOAD
    ws.cell(
        row, headers["Status"]
    ).value = "Delayed"  # listed as needing attention, with its comment
    wb.save(returned)
    with Store.open(tmp_path / "matrix.sqlite") as store:
        [outcome] = collect(plan, [returned], store, period="2026-Q3", received_at=REPORT_AT)
        assert outcome.errors == 0, outcome.reason
        path = tmp_path / "report.html"
        make_report(plan, store, "2026-Q3", path, generated_at=REPORT_AT)
    assert PAYLOAD not in path.read_text(encoding="utf-8")
    visit = Visit(browser, path)
    visit.assert_clean()
    assert visit.page.locator("script").count() == 0
    assert visit.text("article[data-office=KEN] tr[data-ref='KEN/LEG-1'] td.text") == PAYLOAD
    visit.page.close()
