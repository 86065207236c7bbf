"""The report's layout in real Chromium, on the demo: no sideways scrolling of the page at desktop
and phone widths in English and Arabic (wide tables scroll inside their own box, their first
column kept in view), and a printed PDF without near-empty pages, Arabic about as long as English.
Screenshots and PDFs are kept in test-artifacts/report/ to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkout import ROOT, require_browser
from matrix.demo import REPORT_AT, run_demo
from matrix.pdf import html_to_pdf
from matrix.plan import load_plan
from matrix.report.render import render_report
from matrix.report.source import from_store
from matrix.store import Store

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "report"
WIDTHS = (1280, 390)
LANGS = ("en", "ar")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PRINT_WIDTH = 703
"""CSS pixels between the margins of an A4 page (210 - 2 x 12 mm)."""
MARGINS = (40, 45)
"""Top and bottom page margins in points (14 and 16 mm, the print stylesheet's @page)."""


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The demo's report for 2026-Q4 in English and Arabic, as HTML files."""
    folder = tmp_path_factory.mktemp("layout")
    summary = run_demo(folder / "demo")
    plan = load_plan(summary.plan)
    out = {}
    with Store.open(summary.store, create=False) as store:
        for lang in LANGS:
            context = from_store(plan, store, "2026-Q4", lang=lang, generated_at=REPORT_AT)
            out[lang] = folder / f"report-{lang}.html"
            out[lang].write_text(render_report(context), encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def browser():
    path = require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_never_scrolls_sideways(browser, reports, lang, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(reports[lang].as_uri())
    page.screenshot(path=ARTIFACTS / f"report-{lang}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") == width
    # what is wider than the page scrolls inside its own box, the first column staying in view
    escaping = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
        // an SVG clips its own drawing
        .filter(e => !e.closest('.table-wrap') && !(e.ownerSVGElement))
        .filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > width + 1 || r.left < -1;
        })
        .map(e => e.tagName + '.' + e.className)""",
        width,
    )
    assert escaping == []
    sticky = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap tbody tr > :first-child')]
        .map(e => getComputedStyle(e).position)"""
    )
    assert sticky and set(sticky) == {"sticky"}
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_print_fits_the_page_width(browser, reports, lang):
    """Nothing wider than an A4 page between its margins (703 CSS px): Chromium would otherwise
    shrink the whole document to fit, and one language would print smaller than the other."""
    page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 900})
    page.goto(reports[lang].as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth") == PRINT_WIDTH
    page.close()


def test_the_map_shows_the_countries_with_their_numbers(browser, reports):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(reports["en"].as_uri())
    shapes = page.locator("#map svg path[data-office]")
    rows = page.locator("#map tbody tr")
    assert shapes.count() == rows.count() >= 6
    kenya = page.locator("#map svg path[data-office=KEN]")
    assert kenya.bounding_box()["width"] > 20  # drawn, not a speck
    assert kenya.locator("title").text_content().startswith("Kenya: ")
    page.close()


def test_the_action_point_table_fits_a_desktop(browser, reports):
    """The issue's example: 'Targets reached' hidden behind a scroll at 1280 px."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(reports["en"].as_uri())
    box = page.locator("#action-points .table-wrap").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.close()


def pages(pdf: bytes) -> list:
    from io import BytesIO

    from pypdf import PdfReader

    return list(PdfReader(BytesIO(pdf)).pages)


def page_fill(pdf: bytes) -> list[float]:
    """How much of each page's printable height its text covers, 0-1."""
    fill = []
    for page in pages(pdf):
        heights = text_heights(page)
        printable = float(page.mediabox.height) - sum(MARGINS)
        fill.append((max(heights) - min(heights)) / printable if heights else 0.0)
    return fill


def text_heights(page) -> list[float]:
    """The height on the page (points from the bottom) of every piece of text on it."""
    heights: list[float] = []

    def seen(text, cm, tm, *_):
        if text.strip():
            heights.append(tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=seen)
    return heights


def test_print_has_no_near_empty_pages_and_arabic_is_as_long_as_english(reports):
    require_browser()
    fills = {}
    for lang in LANGS:
        pdf = html_to_pdf(reports[lang].read_text(encoding="utf-8"))
        (ARTIFACTS / f"report-{lang}.pdf").write_bytes(pdf)
        fills[lang] = page_fill(pdf)
        assert len(fills[lang]) >= 2
        if lang == "en":  # the executive page is one printed page, the sections follow
            first, second = (page.extract_text() for page in pages(pdf)[:2])
            assert "Decisions asked of the committee" in first
            assert second.lstrip().startswith("Returns received")
        assert [round(f, 2) for f in fills[lang][:-1] if f < 0.25] == [], lang
    assert len(fills["ar"]) <= 1.3 * len(fills["en"])
