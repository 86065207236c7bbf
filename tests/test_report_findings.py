"""Likely duplicated effort: the bounded search finds every pair an exhaustive comparison finds on
real titles, and thousands of near-identical activities (offices control them) keep the report
linear: the report runs in a child process under memory and CPU limits."""

from __future__ import annotations

import difflib
import itertools
import shutil

import openpyxl

from checkout import DAR, SUDAN
from limits_helpers import run_limited
from matrix.excel import layout
from matrix.plan import load_plan
from matrix.report.findings import (
    DUPLICATE_THRESHOLD,
    MAX_LOOKALIKES,
    normalise_title,
    office_pairs,
    similar_titles,
)
from matrix.store import Store
from validation_helpers import columns, fill_good, make_matrix, new_activities_sheet

REWORDINGS = [
    ("Train", "Joint training of"),
    ("Support", "Support to"),
    (" and ", ", "),
    ("the ", ""),
    ("Establish", "Set up"),
    ("officials", "officers"),
]


def real_titles() -> set[tuple[str, ...]]:
    """The example plans' activity titles and the rewordings an office would type for them."""
    titles = [a.title for plan_file in (SUDAN, DAR) for _, a in load_plan(plan_file).activities()]
    reworded = [
        title.replace(old, new, 1) for title in titles for old, new in REWORDINGS if old in title
    ]
    return {
        normalise_title(t) for t in [*titles, *reworded, *(t.rsplit(" ", 1)[0] for t in titles)]
    }


def ratio(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """difflib's ratio, the later title in (length, words) order first, as the search compares
    them."""
    first, second = sorted((a, b), key=lambda words: (len(words), words))
    return difflib.SequenceMatcher(None, second, first, autojunk=False).ratio()


def exhaustive(titles: set[tuple[str, ...]]) -> set[frozenset]:
    return {
        frozenset(pair)
        for pair in itertools.combinations(titles, 2)
        if ratio(*pair) >= DUPLICATE_THRESHOLD
    }


def pairs_of(alike: dict) -> set[frozenset]:
    return {frozenset((a, b)) for a, others in alike.items() for b in others if a != b}


def test_real_titles_get_every_pair_an_exhaustive_search_finds():
    titles = real_titles()
    expected = exhaustive(titles)
    assert len(expected) > 100  # rewordings of one activity are alike
    assert pairs_of(similar_titles(titles)) == expected


def test_thousands_of_near_identical_titles_each_keep_a_few_lookalikes():
    titles = {
        normalise_title(f"Train border officials on referral in district {i}") for i in range(3000)
    }
    alike = similar_titles(titles)
    counts = [len(others) - 1 for others in alike.values()]
    assert min(counts) >= 1 and max(counts) <= MAX_LOOKALIKES
    assert all(
        found == ratio(a, b) for a, others in alike.items() for b, found in others.items() if a != b
    )


def test_copies_of_one_title_make_a_bounded_number_of_pairs():
    spellings = [
        "".join(c.upper() if (n >> k) & 1 else c for k, c in enumerate("train border officials"))
        + "." * (n % 3)
        for n in range(2000)
    ]
    items = {
        shown: (normalise_title(shown), ["UNHCR", "IOM", "unhcr"][n % 3])
        for n, shown in enumerate(spellings)
    }
    pairs = office_pairs(items, similar_titles({title for title, _ in items.values()}))
    assert len(items) == 2000 and 2000 <= len(pairs) <= 2000 * MAX_LOOKALIKES
    assert all(lead_a.casefold() != lead_b.casefold() for _, _, _, lead_a, _, lead_b, _ in pairs)
    assert pairs == sorted(pairs) and len({(p[0], p[1]) for p in pairs}) == len(pairs)


# --- `matrix report` in a child process -----------------------------------------------------------


def proposing(path, titles: list[str], leads: list[str]) -> None:
    """Add one row per title to the New activities sheet of a filled matrix."""
    wb = openpyxl.load_workbook(path)
    ws = new_activities_sheet(wb)
    cols = columns(ws, tuple(c.key for c in layout.NEW_ACTIVITY_COLUMNS))
    for n, title in enumerate(titles):
        row = layout.FIRST_DATA_ROW + n
        ws.cell(row, cols["action_point"]).value = "3. Protection-sensitive entry systems"
        ws.cell(row, cols["activity"]).value = title
        ws.cell(row, cols["lead"]).value = leads[n % len(leads)]
        ws.cell(row, cols["status"]).value = "Not started"
    wb.save(path)


def test_report_on_a_return_proposing_3000_near_identical_activities(run, tmp_path):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    plan, path = make_matrix(tmp_path / "returns", tmp_path / "plan.yaml")
    fill_good(path, plan)
    proposing(
        path,
        [f"Train border officials on referral in district {i}" for i in range(3000)],
        ["UNHCR", "IOM", "UNODC"],
    )
    collected = run("collect", "returns")
    assert collected.exit_code == 0, collected.output

    proc = run_limited(
        "report", "--period", plan.reporting.first_period, "-o", "report.html", cwd=tmp_path
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (
        "Train border officials on referral in district 1" in html
    )  # listed as a likely duplicate


def test_report_on_a_plan_of_5000_near_identical_activities(tmp_path):
    actors = "\n".join(f"  - {{id: {a}, name: {a}, type: UN agency}}" for a in ("UNHCR", "IOM"))
    activities = "\n".join(
        f"      - {{id: A-{i}, title: 'Train border officials on referral in district {i}', "
        f"lead: {('UNHCR', 'IOM')[i % 2]}, "
        "indicators: [{name: Officials trained, unit: people, target: 10}]}"
        for i in range(5000)
    )
    (tmp_path / "plan.yaml").write_text(
        f"""\
schema_version: 1
id: many
title: Many alike
scope: national
countries: [SDN]
reporting: {{frequency: quarterly, first_period: 2026-Q3}}
actors:
{actors}
objectives:
  - id: O1
    action_point: AP3
    title: Safe entry
    activities:
{activities}
""",
        encoding="utf-8",
    )
    Store.open(tmp_path / "matrix.sqlite").close()

    proc = run_limited("report", "--period", "2026-Q3", "-o", "report.html", cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "A-1 Train border officials on referral in district 1" in (
        tmp_path / "report.html"
    ).read_text("utf-8")
