"""`matrix demo`: the whole cycle on the bundled example, from the command line."""

from __future__ import annotations

import re
from importlib.resources import files

import openpyxl
import pytest

from checkout import DAR
from matrix.demo import PERIODS, PLAN_RESOURCE, run_demo
from matrix.demo_narratives import demo_narratives
from matrix.plan import load_plan
from matrix.store import Store

SECTIONS = (
    "summary",
    "returns",
    "action-points",
    "heatmap",
    "delayed",
    "trends",
    "funding",
    "actors",
    "gaps",
    "duplicates",
    "stock-take",
    "good-practices",
    "quality",
    "offices",
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo") / "matrix-demo"
    run_demo(directory)
    return directory


def test_demo_command_runs_the_cycle(run, tmp_path):
    result = run("demo", "here")
    assert result.exit_code == 0, result.output
    assert "report-2026-Q4.html" in result.output
    assert re.search(r"report-2026-Q4\.html\s.*\n\s+compendium\.html\s", result.output)
    assert "open here/report-2026-Q4.html and here/compendium.html in a browser" in result.output
    assert "(accepted: 14, rejected: 4)" in result.output
    assert (tmp_path / "here" / "report-2026-Q4.html").is_file()


def test_demo_writes_every_file(demo_dir):
    assert (demo_dir / "plan.yaml").read_text(encoding="utf-8") == DAR.read_text(encoding="utf-8")
    for period in PERIODS:
        assert (
            len(list((demo_dir / "matrices" / period).glob("*.xlsx"))) == 8
        )  # seven countries and the region
    assert (
        len(list((demo_dir / "returns" / "2026-Q3").glob("*.xlsx"))) == 10
    )  # MOZ and BDI sent corrected files
    assert (
        len(list((demo_dir / "returns" / "2026-Q4").glob("*.xlsx"))) == 8
    )  # KEN resent, region missing
    assert sorted(p.name.split("_")[0] for p in (demo_dir / "feedback").iterdir()) == [
        "BDI",
        "ETH",
        "KEN",
        "MOZ",
    ]


def test_demo_burundi_works_in_french(demo_dir):
    """The plan says Burundi's office works in French: its matrix, and the feedback on its
    rejected return, are in French, named so; the other offices' are in English."""
    assert [p.name for p in (demo_dir / "matrices" / "2026-Q3").glob("BDI_*")] == [
        "BDI_2026-Q3_dar-es-salaam-follow-up_fr.xlsx"
    ]
    [copy] = (demo_dir / "feedback").glob("BDI_*")
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == "Retour" and "Matrice" in wb.sheetnames
    [message] = [row[4] for row in wb["Retour"].iter_rows(min_row=5, values_only=True)]
    assert (
        message.startswith("« environ ")
        and "n'est pas un nombre ; saisissez le total à ce jour en personnes" in message
        and "(Agents formés)" in message
    )


def test_demo_store_has_both_periods(demo_dir):
    plan = load_plan(demo_dir / "plan.yaml")
    with Store.open(demo_dir / "matrix.sqlite", create=False) as store:
        assert store.periods(plan) == list(PERIODS)
        rejected = {(s.office, s.period) for s in store.submissions(plan) if not s.accepted}
    assert rejected == {
        ("MOZ", "2026-Q3"),
        ("BDI", "2026-Q3"),
        ("KEN", "2026-Q4"),
        ("ETH", "2026-Q4"),
    }


def test_demo_report_shows_late_missing_and_rejected_offices(demo_dir):
    html = (demo_dir / "report-2026-Q4.html").read_text(encoding="utf-8")
    states = dict(re.findall(r'<tr data-office="(\w+)" data-state="(\w+)">', html))
    assert states == {
        "ETH": "rejected",
        "KEN": "on_time",
        "TZA": "on_time",
        "BDI": "on_time",
        "MWI": "on_time",
        "MOZ": "on_time",
        "ZAF": "late",
        "EHAGL": "missing",
    }
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert (
        "Training of border and immigration officials on mixed movements" in html
    )  # a likely duplicate
    assert 'data-code="number-from-text"' in html


def test_demo_offices_write_overviews_initiatives_and_good_practices(demo_dir):
    plan = load_plan(demo_dir / "plan.yaml")
    written = demo_narratives()
    with Store.open(demo_dir / "matrix.sqlite", create=False) as store:
        stored = {(s.office, s.period): s.narratives for s in store.narratives(plan)}
    sent = {(office, period) for office, periods in written.items() for period in periods}
    assert set(stored) == sent - {("ETH", "2026-Q4")}  # its return was rejected
    for (office, period), narratives in stored.items():
        entry = written[office][period]
        assert {o.heading: o.text for o in narratives.overview} == entry["overview"]
        titles = [i["title"] for i in entry["initiatives"]]
        assert [i.title for i in narratives.initiatives] == titles
    practices = sorted(
        (office, p.activity_id, p.initiative_ref)
        for (office, _), narratives in stored.items()
        for p in narratives.good_practices
    )
    assert practices == [("MWI", None, "I1"), ("ZAF", "OPS-2", None)]
    html = (demo_dir / "report-2026-Q4.html").read_text(encoding="utf-8")
    assert (
        html.count('class="overview"') == 6
    )  # every office whose fourth-quarter return counts, BDI's in French
    compendium = (demo_dir / "compendium.html").read_text(encoding="utf-8")
    assert compendium.count('class="practice"') == 2
    assert "Malawi: cross-border case management" in compendium


def test_demo_is_deterministic(demo_dir, tmp_path):
    again = run_demo(tmp_path / "again")
    assert again.report.read_text(encoding="utf-8") == (demo_dir / "report-2026-Q4.html").read_text(
        encoding="utf-8"
    )
    compendium = (demo_dir / "compendium.html").read_text(encoding="utf-8")
    assert again.compendium.read_text(encoding="utf-8") == compendium


def test_demo_refuses_a_folder_in_use(run, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run("demo", "busy")
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_bundled_plan_is_the_example():
    assert files("matrix").joinpath(PLAN_RESOURCE).read_text(encoding="utf-8") == DAR.read_text(
        encoding="utf-8"
    )
