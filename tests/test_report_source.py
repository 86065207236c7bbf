"""`matrix report`: the report built from a real store, from the command line."""

from __future__ import annotations

import re

import pytest

from checkout import require_browser
from matrix.demo import REPORT_AT, run_demo
from matrix.plan import load_plan
from matrix.report.source import from_store, report_data
from matrix.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("store") / "demo")


def test_report_data_holds_every_period_and_submission(demo):
    plan = load_plan(demo.plan)
    with Store.open(demo.store, create=False) as store:
        data = report_data(plan, store)
        stored = {
            p: {
                (s.row.country, s.row.ref): (s.row.status, s.row.actual, s.row.comments)
                for s in store.current_rows(plan, p)
            }
            for p in data.periods
        }
        # read while the store is open, a later row of the same (country, ref) replacing an earlier
        # one
        read = {
            p: {(r.country, r.ref): (r.status, r.actual, r.comments) for r in d.rows}
            for p, d in data.periods.items()
        }
        kenya = {
            p: {(r.country, r.ref) for r in d.rows}
            for p, d in report_data(plan, store, "KEN").periods.items()
        }
    assert read == stored
    assert kenya == {p: {key for key in rows if key[0] == "KEN"} for p, rows in stored.items()}
    assert len(data.submissions) == len(demo.returns)
    assert [s.office for s in data.submissions if s.superseded] == []
    assert [p.title for p in data.periods["2026-Q4"].proposed["KEN"]] == [
        "Training of border and immigration officials on mixed movements"
    ]


def test_report_command_writes_the_report(run, demo, tmp_path):
    args = ("--plan", demo.plan, "--store", demo.store)
    result = run("report", "--period", "2026-Q4", *args, "-o", "out/report.html")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'data-office="ZAF" data-state="late"' in written
    result = run(
        "report",
        "--period",
        "2026-Q4",
        "--lang",
        "ar",
        "--country",
        "KEN",
        *args,
        "-o",
        "ken-ar.html",
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ken-ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'data-office="KEN"' in html and 'data-office="ETH"' not in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--period", "2026-09"), "quarter"),
        (("--period", "2026-Q4", "--country", "FRA"), "not an office of this plan"),
    ],
)
def test_report_command_explains_what_cannot_be_done(run, demo, options, message):
    result = run("report", *options, "--plan", demo.plan, "--store", demo.store, "-o", "r.html")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_report_needs_a_store(run, demo, tmp_path):
    result = run(
        "report",
        "--period",
        "2026-Q4",
        "--plan",
        demo.plan,
        "--store",
        tmp_path / "none.sqlite",
        "-o",
        "r.html",
    )
    assert result.exit_code == 2
    assert "no store" in result.output
    assert not (tmp_path / "none.sqlite").exists()


def test_from_store_matches_the_written_report(demo):
    plan = load_plan(demo.plan)
    with Store.open(demo.store, create=False) as store:
        ctx = from_store(plan, store, "2026-Q4", generated_at=REPORT_AT)
    html = demo.report.read_text(encoding="utf-8")
    assert f'<span data-value="returns-received">{ctx.headline.returns.received}</span>' in html
    assert (
        ctx.headline.returns.late == 1
        and ctx.headline.returns.missing == 1
        and ctx.headline.returns.rejected == 1
    )


@pytest.mark.parametrize("options", [("-o", "report.pdf"), ("--pdf", "-o", "report-2026-Q4")])
def test_report_is_printed_to_pdf_by_chromium(run, demo, tmp_path, options):
    require_browser()
    result = run(
        "report",
        "--period",
        "2026-Q4",
        "--lang",
        "ar",
        "--plan",
        demo.plan,
        "--store",
        demo.store,
        *options,
    )
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / options[-1]).read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_without_a_browser_the_pdf_says_how_to_get_one(run, demo, tmp_path, monkeypatch):
    monkeypatch.setenv("MATRIX_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = run(
        "report", "--period", "2026-Q4", "--plan", demo.plan, "--store", demo.store, "-o", "r.pdf"
    )
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert "needs Chromium or Google Chrome" in line and "apt install chromium" in line
    assert not (tmp_path / "r.pdf").exists()
