"""`matrix compendium`: good practices by action point, then country, then period, in the layout
of the 10-Point Plan in Action; one self-contained HTML file, or PDF printed by real Chromium."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from checkout import DAR, require_browser
from compendium_helpers import store_with_practices
from matrix.compendium import compendium_context, selected_periods
from matrix.errors import MatrixError
from matrix.store import Store

pytest_plugins = ["store_fixtures"]
AT = datetime(2027, 2, 3, 9, 0)


@pytest.fixture
def filled(store, dar):
    return store_with_practices(store, dar)


def layout_of(context) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(chapter title, office, [(period, practice title)]), as the compendium orders them."""
    return [
        (chapter.title, country.office, [(p.period, p.title) for p in country.practices])
        for chapter in context.chapters
        for country in chapter.countries
    ]


def test_practices_are_grouped_by_action_point_country_and_period(filled, dar):
    context = compendium_context(dar, filled, ["2026-Q3", "2026-Q4"], generated_at=AT)
    assert layout_of(context) == [
        ("Capacity-building", "KEN", [("2026-Q3", "Kenya: one training for every border post")]),
        ("Capacity-building", "EHAGL", [("2026-Q4", "Region: national trainers certified")]),
        (
            "Operations",
            "KEN",
            [
                ("2026-Q3", "Kenya: legal aid that reaches police cells"),
                ("2026-Q4", "Kenya: a profiling desk at Moyale"),
            ],
        ),
        ("Operations", "TZA", [("2026-Q3", "Tanzania: release to the community")]),
    ]
    assert [c.number for c in context.chapters] == [2, 3] and context.count == 5
    legal_aid = context.chapters[1].countries[0].practices[0]
    assert legal_aid.years == "2025–present"  # the initiative's start, and no end
    assert (
        legal_aid.subject
        == "Initiative outside the plan, \u2068I1\u2069: \u2068Legal aid at police stations\u2069"
    )
    assert [link.url for link in legal_aid.links] == ["https://www.unhcr.org/report.pdf", None]


def test_one_period_or_a_range(filled, dar):
    assert selected_periods(dar, filled) == ["2026-Q3", "2026-Q4"]
    assert selected_periods(dar, filled, period="2026-Q4") == ["2026-Q4"]
    assert selected_periods(dar, filled, first="2026-Q4") == ["2026-Q4"]
    assert selected_periods(dar, filled, last="2026-Q3") == ["2026-Q3"]
    assert selected_periods(dar, filled, first="2026-Q3", last="2027-Q1") == [
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
    ]
    only_q4 = compendium_context(dar, filled, ["2026-Q4"], generated_at=AT)
    assert [title for *_, shown in layout_of(only_q4) for _, title in shown] == [
        "Region: national trainers certified",
        "Kenya: a profiling desk at Moyale",
    ]
    with pytest.raises(MatrixError, match="before --from"):
        selected_periods(dar, filled, first="2026-Q4", last="2026-Q3")
    with pytest.raises(MatrixError, match="quarterly"):
        selected_periods(dar, filled, period="2026-10")


def test_the_command_writes_a_self_contained_page(run, tmp_path, dar):
    with Store.open(tmp_path / "matrix.sqlite") as store:
        store_with_practices(store, dar)
    result = run(
        "compendium",
        "--plan",
        DAR,
        "--from",
        "2026-Q3",
        "--to",
        "2026-Q4",
        "-o",
        "out/compendium.html",
    )
    assert result.exit_code == 0, result.output
    assert "(5 good practices)" in result.output
    html = (tmp_path / "out" / "compendium.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower() and not re.search(r"""\bsrc\s*=|url\(|@import""", html)
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert {h for h in hrefs if not h.startswith("#")} == {"https://www.unhcr.org/report.pdf"}
    assert all(
        'rel="noopener noreferrer nofollow"' in a for a in re.findall(r'<a class="ext"[^>]*>', html)
    )
    assert (
        html.index("Kenya: one training")
        < html.index("Region: national trainers")
        < html.index("Kenya: legal aid")
    )


def test_arabic_compendium_is_right_to_left(run, tmp_path, dar):
    with Store.open(tmp_path / "matrix.sqlite") as store:
        store_with_practices(store, dar)
    assert run("compendium", "--plan", DAR, "--lang", "ar", "-o", "c.html").exit_code == 0
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html and "الفصل 2" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-Q3", "--from", "2026-Q3"), "either --period or --from/--to"),
        (("-o", "compendium.txt"), "name it .html (a web page) or .pdf"),
        (("--period", "2026-Q9"), "2026-Q9"),
    ],
)
def test_bad_requests_are_one_line_errors(run, tmp_path, dar, args, message):
    with Store.open(tmp_path / "matrix.sqlite") as store:
        store_with_practices(store, dar)
    out = ("-o", "c.html") if "-o" not in args else ()
    result = run("compendium", "--plan", DAR, *args, *out)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "c.html").exists()


def test_no_practice_yet_is_said_so(run, tmp_path, dar):
    Store.open(tmp_path / "matrix.sqlite").close()
    result = run("compendium", "--plan", DAR, "-o", "c.html")
    assert result.exit_code == 0 and "(0 good practices)" in result.output
    assert "No office described a good practice" in (tmp_path / "c.html").read_text(
        encoding="utf-8"
    )


def test_pdf_is_printed_by_chromium(run, tmp_path, dar):
    require_browser()
    with Store.open(tmp_path / "matrix.sqlite") as store:
        store_with_practices(store, dar)
    result = run("compendium", "--plan", DAR, "-o", "compendium.pdf")
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "compendium.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2  # a chapter starts a page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_without_a_browser_pdf_says_how_to_get_one(run, tmp_path, dar, monkeypatch):
    monkeypatch.setenv("MATRIX_CHROMIUM", str(tmp_path / "no-such-browser"))
    Store.open(tmp_path / "matrix.sqlite").close()
    result = run("compendium", "--plan", DAR, "-o", "compendium.pdf")
    assert result.exit_code == 2
    assert (
        "needs Chromium or Google Chrome" in result.output
        and "apt install chromium" in result.output
    )
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "compendium.pdf").exists()
