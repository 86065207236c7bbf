"""The report renders in every language as one self-contained, escaped HTML file."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from matrix.errors import MatrixError
from matrix.i18n import LANGUAGES, catalogue
from matrix.report.build import build_context
from matrix.report.render import render_report, write_report
from report_helpers import PAYLOAD, dar_data

AT = datetime(2027, 2, 1, 8, 0)


@pytest.fixture(scope="module")
def plan(dar_english):
    return dar_english


@pytest.mark.parametrize("lang", LANGUAGES)
def test_renders_in_every_language(plan, lang):
    html = render_report(build_context(plan, dar_data(plan), "2026-Q4", lang=lang, generated_at=AT))
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert catalogue(lang)["report.section.duplicates"] in html
    assert catalogue(lang)["report.return.missing"] in html


def test_self_contained_no_script_no_external_reference(plan):
    html = render_report(build_context(plan, dar_data(plan), "2026-Q4", generated_at=AT))
    assert "<script" not in html.lower()
    assert not re.search(r"""\bsrc\s*=|url\(|@import""", html), "nothing is loaded from elsewhere"
    # the only way out is a good practice's link, a click away, never followed by the page itself
    outward = re.findall(r"""<a [^>]*href\s*=\s*["'](?!#)[^>]*>""", html)
    link = r'<a class="ext" href="https://[^"]+" rel="noopener noreferrer nofollow">'
    assert outward and all(re.fullmatch(link, a) for a in outward)
    # each address twice: the link's, then shown as text
    assert len(re.findall(r"https?://", html)) == 2 * len(outward)


def test_workbook_text_is_shown_as_text(plan):
    html = render_report(build_context(plan, dar_data(plan), "2026-Q4", generated_at=AT))
    assert PAYLOAD not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_renders_a_plan_without_returns(plan):
    from matrix.report.data import ReportData

    html = render_report(build_context(plan, ReportData(), "2026-Q3", generated_at=AT))
    assert catalogue("en")["report.changes.no_previous"] in html


def test_write_report_replaces_atomically(plan, tmp_path):
    ctx = build_context(plan, dar_data(plan), "2026-Q4", generated_at=AT)
    out = tmp_path / "sub" / "report.html"
    assert write_report(ctx, out) == out
    assert out.read_text(encoding="utf-8") == render_report(ctx)
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(MatrixError, match="cannot write .*dir.html"):
        write_report(ctx, tmp_path / "dir.html")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
