"""Declared indicator semantics end to end on a small regional plan: three offices fill in real
matrices for two quarters (Uganda sends nothing for the second), `collect` stores them, and the
report's regional figures and the export's `regional` table give, for every rule, the figure
worked out by hand below."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from matrix import Project
from semantics_helpers import write_plan
from validation_helpers import fill

ON_TRACK = "On track"
DELAYED = {("2026-Q4", "TZA", "A1.9"), ("2026-Q4", "TZA", "A1.11")}
"""Rows the report lists as needing attention (delayed), so their yes/no and date figures show."""

Q3 = {
    "KEN": {
        "A1.1": 20,
        "A1.2": 3,
        "A1.3": 4,
        "A1.4": 300,
        "A1.5": 100,
        "A1.6": 30,
        "A1.7": 30,
        "A1.8": "75%",
        "A1.9": "Yes",
        "A1.10": 15,
        "A1.11": date(2026, 9, 1),
        "A1.12": 100,
    },
    "TZA": {
        "A1.1": 10,
        "A1.2": 2,
        "A1.3": 8,
        "A1.4": 100,
        "A1.5": 50,
        "A1.6": 10,
        "A1.7": 20,
        "A1.8": 0.6,
        "A1.9": "Non",
        "A1.10": 9,
        "A1.11": date(2026, 8, 1),
        "A1.12": 200,
    },
    "UGA": {
        "A1.1": 5,
        "A1.2": 1,
        "A1.3": 7,
        "A1.4": 200,
        "A1.5": 40,
        "A1.6": 8,
        "A1.7": 20,
        "A1.8": "80",
        "A1.9": "yes",
        "A1.10": 20,
        "A1.11": date(2026, 7, 15),
        "A1.12": 50,
    },
}
Q4 = {
    "KEN": {
        "A1.1": 50,
        "A1.2": 4,
        "A1.3": 6,
        "A1.4": 250,
        "A1.5": 150,
        "A1.6": 45,
        "A1.7": 30,
        "A1.8": "70%",
        "A1.9": "Yes",
        "A1.10": 12,
        "A1.11": date(2026, 11, 15),
        "A1.12": 300,
    },
    "TZA": {
        "A1.1": 30,
        "A1.2": 2,
        "A1.3": 4,
        "A1.4": 450,
        "A1.5": 50,
        "A1.6": 20,
        "A1.7": 40,
        "A1.8": 0.5,
        "A1.9": "Oui",
        "A1.10": 8,
        "A1.11": date(2026, 12, 1),
        "A1.12": 400,
    },
}

EXPECTED_Q4 = {
    # ref: (value, target, countries reporting); each worked out from the tables above
    "A1.1": (50 + 30, 3 * 100, 2),  # totals to date added up; UGA sent no Q4 total
    "A1.2": ((3 + 4) + (2 + 2) + 1, 3 * 10, 3),  # each country's periods added, then the countries
    "A1.3": (((4 + 6) / 2 + (8 + 4) / 2 + 7) / 3, 5, 3),  # mean over periods, then over countries
    "A1.4": (max(300, 250, 100, 450, 200), 500, 3),  # the highest so far, then the highest country
    "A1.5": (150 + 50, 3 * 200, 2),
    "A1.6": (45 + 20, 3 * 60, 2),
    "A1.7": (100 * (45 + 20) / (150 + 50), 30, 2),  # a ratio of sums, not a mean of 30 % and 40 %
    "A1.8": (None, None, 2),  # percentages are not combined unless declared
    "A1.9": (2, 3, 2),  # countries answering yes (Yes, Oui)
    "A1.10": (min(12, 8), 10, 2),
    "A1.12": (300 + 400, 3 * 1000, 2),
}
EXPECTED_Q3_RATIO = 100 * (30 + 10 + 8) / (100 + 50 + 40)


def _return(project: Project, folder, period: str, office: str, values: dict) -> object:
    [path] = project.generate(
        period, countries=[office], out=folder / "blank" / period, key_created=lambda key: None
    )
    filled = folder / "returns" / period / path.name
    filled.parent.mkdir(parents=True, exist_ok=True)
    cells = {
        ref: {
            "status": "Delayed" if (period, office, ref) in DELAYED else ON_TRACK,
            "actual": value,
            "comments": "as reported",
        }
        for ref, value in values.items()
    }
    return fill(path, cells, out=filled)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("semantics")
    write_plan(folder)
    project = Project.open(folder, on_warning=lambda issue: None)
    for period, table in (("2026-Q3", Q3), ("2026-Q4", Q4)):
        paths = [
            _return(project, folder, period, office, values) for office, values in table.items()
        ]
        outcomes = project.collect(paths, period=period)
        assert [o.status for o in outcomes] == ["accepted"] * len(paths), [
            o.reason for o in outcomes
        ]
    return project


@pytest.fixture(scope="module")
def figures(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    context = project.report("2026-Q4", out)
    return {f.ref: f for f in context.indicator_figures}, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("ref", list(EXPECTED_Q4))
def test_report_regional_figure_by_rule(figures, ref):
    found, _ = figures
    value, target, reporting = EXPECTED_Q4[ref]
    figure = found[ref]
    assert figure.value == pytest.approx(value) if value is not None else figure.value is None
    assert figure.target == pytest.approx(target) if target is not None else figure.target is None
    assert (figure.reporting, figure.expected) == (reporting, 3)


def test_report_regional_date_is_the_latest_date(figures):
    found, _ = figures
    assert found["A1.11"].value_date == date(2026, 12, 1) and found["A1.11"].value is None


def test_report_shows_the_regional_figures_section(figures):
    found, html = figures
    assert 'id="indicators"' in html
    row = html.split('data-indicator="A1.7"', 1)[1].split("</tr>", 1)[0]
    assert "32%" in row and "2 of 3" in row  # 32.5 % to the even whole, from 2 of 3 countries
    assert found["A1.7"].rule_text == "A1.6 ÷ A1.5, each added up across countries"
    tanzania = html.split('<article id="office-tza"', 1)[1]
    yes = tanzania.split('data-ref="TZA/A1.9"', 1)[1].split("</tr>", 1)[0]
    dated = tanzania.split('data-ref="TZA/A1.11"', 1)[1].split("</tr>", 1)[0]
    assert "<bdi>Yes</bdi>" in yes and "<bdi>2026-12-01</bdi>" in dated  # not 1 and 46357


def test_percentages_are_read_by_the_documented_rule(project):
    """'75%' is 75, 0.6 is 60 %, '80' is 80, as stored for each office."""
    with project.opened_store() as store:
        stored = {
            (s.period, s.row.country, s.row.ref): s.row.actual
            for s in store.current_rows(project.plan)
        }
    assert stored["2026-Q3", "KEN", "A1.8"] == 75
    assert stored["2026-Q3", "TZA", "A1.8"] == 60
    assert stored["2026-Q3", "UGA", "A1.8"] == 80
    assert (stored["2026-Q3", "TZA", "A1.9"], stored["2026-Q3", "UGA", "A1.9"]) == (0, 1)


def test_export_regional_table_matches_the_report(project, tmp_path):
    out = tmp_path / "regional.csv"
    project.export(out, "csv", table="regional")
    with out.open(encoding="utf-8-sig") as handle:
        rows = {(r["period"], r["ref"]): r for r in csv.DictReader(handle)}
    for ref, (value, target, reporting) in EXPECTED_Q4.items():
        row = rows["2026-Q4", ref]
        assert (float(row["value"]) if row["value"] else None) == (
            pytest.approx(value) if value is not None else None
        )
        assert (float(row["target"]) if row["target"] else None) == (
            pytest.approx(target) if target is not None else None
        )
        assert int(row["countries_reporting"]) == reporting
    assert float(rows["2026-Q3", "A1.7"]["value"]) == pytest.approx(EXPECTED_Q3_RATIO)
    assert rows["2026-Q4", "A1.7"]["numerator_total"] == "65"
    assert rows["2026-Q4", "A1.7"]["denominator_total"] == "200"
    assert rows["2026-Q4", "A1.11"]["value_date"] == "2026-12-01"
    assert rows["2026-Q4", "A1.8"]["regional_total"] == "none"


def test_export_rows_carry_the_semantics(project, tmp_path):
    out = tmp_path / "all.json"
    project.export(out, "json")
    document = json.loads(out.read_text(encoding="utf-8"))
    row = next(
        r
        for r in document["rows"]
        if (r["period"], r["country"], r["ref"]) == ("2026-Q4", "KEN", "A1.7")
    )
    assert {
        k: row[k] for k in ("kind", "periods", "regional_total", "numerator", "denominator")
    } == {
        "kind": "percent",
        "periods": "latest",
        "regional_total": "ratio",
        "numerator": "A1.6",
        "denominator": "A1.5",
    }
    dated = next(
        r
        for r in document["rows"]
        if (r["period"], r["country"], r["ref"]) == ("2026-Q4", "TZA", "A1.11")
    )
    assert dated["actual"] is None and dated["actual_date"] == "2026-12-01"
    figures = {(f["period"], f["ref"]): f for f in document["regional_figures"]}
    assert figures["2026-Q4", "A1.2"]["value"] == 12


def test_hxl_puts_each_actual_under_its_period_rule(project, tmp_path):
    out = tmp_path / "rows.csv"
    project.export(out, "hxl", period="2026-Q4")
    with out.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        names, tags = next(reader), next(reader)
        rows = [dict(zip(names, r, strict=True)) for r in reader]
    tag = dict(zip(names, tags, strict=True))
    assert tag["actual_mean"] == "#reached+num+mean" and tag["kind"] == "#indicator+kind"
    ken = {r["ref"]: r for r in rows if r["country"] == "KEN"}
    assert ken["A1.3"]["actual_mean"] == "6" and ken["A1.3"]["actual_cumulative"] == ""
    assert ken["A1.2"]["actual_per_period"] == "4"


def test_prefill_writes_each_kind_back_as_typed(project, tmp_path):
    """Yes/No as the word, a date as a date, a percentage as points: read back as stored."""
    [path] = project.generate(
        "2027-Q1", countries=["TZA"], out=tmp_path, prefill=True, key_created=lambda key: None
    )
    [result] = project.validate([path])
    read = {r.ref: r.actual for r in result.rows}
    with project.opened_store() as store:
        stored = {
            s.row.ref: s.row.actual
            for s in store.current_rows(project.plan)
            if (s.period, s.row.country) == ("2026-Q4", "TZA")
        }
    assert read == stored and read["A1.9"] == 1 and read["A1.8"] == 50
    assert not [i for i in result.issues if i.code.startswith("actual-") or i.code == "not-a-date"]


def test_iati_totals_follow_the_regional_rule(project, tmp_path):
    """In 2026-Q3 every country reported: the total before the countries' values is their mean
    for a mean, the ratio of sums for a ratio, none for a percentage not combined."""
    from lxml import etree

    out = tmp_path / "iati.xml"
    project.export(out, "iati")
    root = etree.parse(str(out)).getroot()

    def q3_actuals(ref: str) -> list[tuple[str | None, str | None]]:
        [indicator] = root.xpath(f"//indicator[reference/@code='{ref}']")
        [period] = indicator.xpath("period[period-start/@iso-date='2026-07-01']")
        return [
            (a.xpath("string(dimension/@value)") or None, a.get("value"))
            for a in period.findall("actual")
        ]

    assert q3_actuals("A1.3")[0][0] is None
    assert float(q3_actuals("A1.3")[0][1]) == pytest.approx((4 + 8 + 7) / 3)
    assert q3_actuals("A1.7")[0][0] is None
    assert float(q3_actuals("A1.7")[0][1]) == pytest.approx(EXPECTED_Q3_RATIO)
    assert [country for country, _ in q3_actuals("A1.8")] == ["KE", "TZ", "UG"]
    [yes_no] = root.xpath("//indicator[reference/@code='A1.9']")
    [dated] = root.xpath("//indicator[reference/@code='A1.11']")
    assert (yes_no.get("measure"), dated.get("measure")) == ("3", "5")
    assert dated.xpath("string(period[1]/actual[1]/comment/narrative)") == "2026-09-01"
