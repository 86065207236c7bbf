"""The IATI export: valid against the IATI 2.03 schema for both example plans with collected
returns, the same figures as the csv export and the report, and a clear refusal when the plan
lacks what IATI requires."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pycountry
import pytest
import yaml
from lxml import etree

from checkout import SUDAN
from matrix.demo import run_demo
from matrix.errors import MatrixError
from matrix.iati import (
    activity_status,
    budget_years,
    check,
    narratives,
    number,
    roles,
    shares,
)
from matrix.models.plan import Plan, RegionalRule
from matrix.periods import Period
from matrix.plan import expected_offices, load_plan, plan_rows
from matrix.report.counting import Layout, snapshots
from matrix.report.source import report_data
from matrix.semantics import combine
from matrix.store import Store
from store_helpers import make_result

XSD = Path(str(files("matrix").joinpath("standards/iati-2.03/iati-activities-schema.xsd")))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The Dar es Salaam plan with the demo's collected returns (two quarters, seven offices)."""
    return run_demo(tmp_path_factory.mktemp("iati") / "demo")


@pytest.fixture
def sudan_store(tmp_path, sudan):
    """Three months of the Sudan plan's returns, built in code: values change from month to month
    and August leaves every actual blank."""
    plan = sudan
    path = tmp_path / "matrix.sqlite"
    with Store.open(path) as store:
        for period, actual in (("2026-07", 4), ("2026-08", None), ("2026-09", 9)):
            store.record(make_result(plan, "SDN", period, actual=actual, proposed=1), plan)
    return path


def sudan_plan(tmp_path: Path, edit) -> Path:
    """A copy of the Sudan example as `edit(data)` leaves it."""
    data = yaml.safe_load(SUDAN.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def schema_errors(path: Path) -> list[str]:
    """What the IATI 2.03 schema says about the file, read with lxml on its own."""
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    schema.validate(etree.parse(str(path)))
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def export(run, fmt: str, out: Path, plan: Path, store: Path) -> Path:
    result = run("export", "--format", fmt, "-o", out, "--plan", plan, "--store", store)
    assert result.exit_code == 0, result.output
    return out


def iati_figures(path: Path) -> dict[tuple, dict[str, float]]:
    """(row ref, period, country alpha-2 or None for a total or region-wide value) ->
    {'target': .., 'actual': ..} as the IATI file gives them."""
    figures: dict[tuple, dict[str, float]] = defaultdict(dict)
    for indicator in etree.parse(str(path)).iter("indicator"):
        ref = indicator.find("reference").get("code")
        for period in indicator.iter("period"):
            start = period.find("period-start").get("iso-date")
            for kind in ("target", "actual"):
                for value in period.iter(kind):
                    dimension = value.find("dimension")
                    country = dimension.get("value") if dimension is not None else None
                    figures[(ref, start, country)][kind] = float(value.get("value"))
    return figures


def csv_figures(path: Path, plan: Plan) -> dict[tuple, dict[str, float]]:
    """The same figures from the csv export: countries as alpha-2, region-wide rows undimensioned;
    periods nobody reported a value for are left out, as the IATI file leaves them out."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    reported = {(r["ref"], r["period"]) for r in rows if r["actual"]}
    figures: dict[tuple, dict[str, float]] = defaultdict(dict)
    for r in rows:
        if (r["ref"], r["period"]) not in reported or not r["indicator"]:
            continue
        country = None if r["country"] not in plan.countries else alpha_2(r["country"])
        key = (r["ref"], Period.parse(r["period"]).start.isoformat(), country)
        if r["target"]:
            figures[key]["target"] = float(r["target"])
        if r["actual"]:
            figures[key]["actual"] = float(r["actual"])
    return figures


def alpha_2(code: str) -> str:
    return pycountry.countries.get(alpha_3=code).alpha_2


def without_totals(figures: dict, plan: Plan) -> dict:
    """Drop the totals a multi-country activity adds (checked separately)."""
    return {k: v for k, v in figures.items() if k[2] is not None or _region_wide(plan, k[0])}


def _region_wide(plan: Plan, ref: str) -> bool:
    return any(row.ref == ref for row in plan_rows(plan, None))


@pytest.mark.parametrize("example", ["sudan", "dar"])
def test_example_exports_are_valid_iati_with_the_csv_figures(
    run, tmp_path, example, demo, sudan_store
):
    plan_path, store_path = (SUDAN, sudan_store) if example == "sudan" else (demo.plan, demo.store)
    plan = load_plan(plan_path)
    xml = export(run, "iati", tmp_path / "activities.xml", plan_path, store_path)
    assert schema_errors(xml) == []
    activities = etree.parse(str(xml)).getroot()
    assert activities.get("version") == "2.03"
    identifiers = [a.findtext("iati-identifier") for a in activities]
    assert identifiers == [f"XM-DAC-41121-{plan.id}-{a.id}" for _, a in plan.activities()]

    iati = iati_figures(xml)
    table = csv_figures(export(run, "csv", tmp_path / "rows.csv", plan_path, store_path), plan)
    assert table and without_totals(iati, plan) == table


def test_totals_add_up_the_countries_only_when_all_reported(run, tmp_path, demo):
    plan = load_plan(demo.plan)
    iati = iati_figures(export(run, "iati", tmp_path / "a.xml", demo.plan, demo.store))
    activity = {r.ref: r.activity for office in plan.countries for r in plan_rows(plan, office)}
    indicators = {r.ref: r.indicator for office in plan.countries for r in plan_rows(plan, office)}
    seen = set()
    for ref, start in {k[:2] for k in iati if k[2] is not None}:
        countries = {k[2]: v for k, v in iati.items() if k[:2] == (ref, start) and k[2] is not None}
        total = iati.get((ref, start, None), {})
        everyone = {alpha_2(c) for c in plan.activity_countries(activity[ref])}
        if len(everyone) == 1:
            assert total == {}
            continue
        rule = indicators[ref].regional_rule
        targets = [v["target"] for v in countries.values()]
        if rule is RegionalRule.NONE:
            assert "target" not in total
        elif rule is not RegionalRule.RATIO:  # a ratio's target is the plan's, checked elsewhere
            assert total["target"] == pytest.approx(combine(rule, targets))
        all_reported = {c for c, v in countries.items() if "actual" in v} == everyone
        seen.add(all_reported)
        if all_reported and rule not in (RegionalRule.NONE, RegionalRule.RATIO):
            assert total["actual"] == pytest.approx(
                combine(rule, [v["actual"] for v in countries.values()])
            )
        elif not all_reported:
            assert "actual" not in total
    assert seen == {True, False}


def test_figures_match_the_report(run, tmp_path, demo):
    """The report's achieved value of every office's row as of the last quarter: the latest actual
    for totals to date, the sum over quarters for values per quarter."""
    plan = load_plan(demo.plan)
    iati = iati_figures(export(run, "iati", tmp_path / "a.xml", demo.plan, demo.store))
    offices = expected_offices(plan)
    layout = Layout(plan, offices)
    with Store.open(demo.store, create=False) as store:
        data = report_data(plan, store)
        first, last = (
            Period.parse(plan.reporting.first_period),
            Period.parse(max(data.periods, key=Period.parse)),
        )
        *_, now = snapshots(layout, data, first, last)
    checked = 0
    for j, row in enumerate(layout.rows):
        if row.indicator is None:
            continue
        office = layout.row_office[j]
        country = alpha_2(office) if office in plan.countries else None
        values = {
            start: v for (ref, start, c), v in iati.items() if ref == row.ref and c == country
        }
        actuals = [v["actual"] for _, v in sorted(values.items()) if "actual" in v]
        if row.indicator.cumulative:
            latest = values.get(last.start.isoformat(), {}).get("actual")
            assert latest == now.achieved[j], (office, row.ref)
        else:
            assert (sum(actuals) if actuals else None) == now.achieved[j], (office, row.ref)
        assert all(v["target"] == layout.target[j] for v in values.values())
        checked += bool(actuals)
    assert checked > 20


def test_indicator_semantics(run, tmp_path, sudan_store):
    xml = export(run, "iati", tmp_path / "a.xml", SUDAN, sudan_store)
    indicators = {
        i.find("reference").get("code"): i for i in etree.parse(str(xml)).iter("indicator")
    }
    meetings, incidents = (
        indicators["AP1-1"],
        indicators["AP3-2"],
    )  # cumulative; per month, fewer is better
    assert (
        meetings.get("measure"),
        meetings.get("ascending"),
        meetings.get("aggregation-status"),
    ) == ("1", "1", "0")
    assert (
        incidents.get("measure"),
        incidents.get("ascending"),
        incidents.get("aggregation-status"),
    ) == ("1", "0", "1")
    assert "total achieved to date" in meetings.findtext("description/narrative")
    assert "achieved in that period" in incidents.findtext("description/narrative")
    assert incidents.find("baseline").get("value") == "40"
    periods = [p.find("period-start").get("iso-date") for p in meetings.iter("period")]
    assert periods == ["2026-07-01", "2026-09-01"]  # August was left blank
    assert [p.find("actual").get("value") for p in meetings.iter("period")] == ["4", "9"]


def test_activity_fields(run, tmp_path, demo):
    xml = export(run, "iati", tmp_path / "a.xml", demo.plan, demo.store)
    by_id = {
        a.findtext("iati-identifier").rsplit("-follow-up-", 1)[1]: a
        for a in etree.parse(str(xml)).getroot()
    }
    cap1, cap2 = by_id["CAP-1"], by_id["CAP-2"]
    assert cap1.get(XML_LANG) == "en" and cap1.get("default-currency") == "USD"
    assert cap1.find("reporting-org").get("ref") == "XM-DAC-41121"
    assert [
        (o.get("ref"), o.get("type"), o.get("role")) for o in cap1.iter("participating-org")
    ] == [
        ("XM-DAC-41121", "40", "2"),
        ("XM-DAC-41121", "40", "4"),
        ("XM-DAC-47066", "40", "4"),
        (None, "10", "4"),
    ]
    countries = [c.get("code") for c in cap1.iter("recipient-country")]
    assert countries == ["ET", "KE", "TZ", "BI", "MW", "MZ", "ZA"]
    assert sum(Decimal(c.get("percentage")) for c in cap1.iter("recipient-country")) == 100
    assert cap1.find("activity-scope").get("code") == "3"
    assert (
        cap1.find("sector").attrib == {"vocabulary": "99", "code": "CAP", "percentage": "100"}
        and cap1.findtext("sector/narrative") == "Capacity-building"
    )
    budget = cap1.find("budget")
    assert (budget.findtext("value"), budget.find("value").get("currency")) == ("60000", "USD")
    assert [d.get("iso-date") for d in cap1.iter("activity-date")] == ["2026-07-01", "2027-06-30"]
    assert cap1.find("activity-status").get("code") == "2"
    # region-wide: the recipient region the plan declares, one undimensioned value per period
    assert cap2.find("activity-scope").get("code") == "2"
    assert (
        cap2.find("recipient-region").get("code"),
        cap2.find("recipient-region").get("vocabulary"),
    ) == ("289", "1")
    assert cap2.find("recipient-country") is None
    assert all(
        value.find("dimension") is None for value in cap2.iter("target", "actual", "baseline")
    )
    assert "Officials can identify" in cap1.findtext("result/title/narrative")
    assert cap1.find("result").get("type") == "2"


def test_a_plan_without_reporting_organisation_says_what_to_add(run, tmp_path, sudan_store):
    plan = sudan_plan(tmp_path, lambda data: data.pop("iati"))
    out = tmp_path / "activities.xml"
    out.write_text("previous")
    result = run("export", "--format", "iati", "-o", out, "--plan", plan, "--store", sudan_store)
    assert result.exit_code == 2
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "reporting organisation" in message and "iati: {reporting_org: {ref:" in message
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_activity_nobody_takes_part_in_is_named(run, tmp_path, sudan_store):
    def alone(data):
        activity = data["objectives"][0]["activities"][1]
        del activity["lead"]
        activity["partners"] = []

    plan = sudan_plan(tmp_path, alone)
    result = run(
        "export",
        "--format",
        "iati",
        "-o",
        tmp_path / "a.xml",
        "--plan",
        plan,
        "--store",
        sudan_store,
    )
    assert result.exit_code == 2
    assert "activity AP1-2 has no lead or partners" in result.output
    assert not (tmp_path / "a.xml").exists()


def test_schema_errors_are_named_and_refused():
    with pytest.raises(
        MatrixError,
        match=r"iati-activity.*Missing child element.*iati-identifier.*nothing was written",
    ):
        check(b"<iati-activities version='2.03'><iati-activity/></iati-activities>")
    with pytest.raises(MatrixError, match="not well-formed"):
        check(b"<iati-activities")


def test_narratives_mark_languages_other_than_the_default():
    parent = etree.Element("title")
    narratives(parent, {"fr": "Former les agents", "en": "Train officials\x07"}, "fr")
    assert [(n.get(XML_LANG), n.text) for n in parent] == [
        (None, "Former les agents"),
        ("en", "Train officials"),
    ]


@pytest.mark.parametrize("language, label_language", [("fr", None), ("pt", "en")])
def test_plan_language_and_our_own_words(run, tmp_path, sudan_store, language, label_language):
    plan = sudan_plan(tmp_path, lambda data: data["iati"].update(default_language=language))
    xml = export(run, "iati", tmp_path / "a.xml", plan, sudan_store)
    assert schema_errors(xml) == []
    activity = etree.parse(str(xml)).getroot()[0]
    assert activity.get(XML_LANG) == language
    # the plan's texts are in English (and Arabic), so they say so when the default is another
    titles = [n.get(XML_LANG) for n in activity.find("title").iter("narrative")]
    assert titles[0] == "en" and set(titles) <= {"en", "ar"}
    described = activity.find("result/indicator/description/narrative")
    assert described.get(XML_LANG) == label_language
    if language == "fr":
        assert described.text.startswith("Mesuré en meetings.")


def test_donors_fund_and_leads_are_accountable(sudan):
    plan = sudan
    activity = {a.id: a for _, a in plan.activities()}[
        "AP7-1"
    ]  # UNHCR with a local NGO and the EU fund
    assert [(actor.id, role) for actor, role in roles(plan, activity)] == [
        ("UNHCR", "2"),
        ("UNHCR", "4"),
        ("LNGO", "4"),
        ("EUTF", "1"),
    ]


@pytest.mark.parametrize(
    "statuses, code",
    [
        ([], "1"),
        (["", ""], "1"),
        (["not_started", "cancelled"], "1"),
        (["not_started", "on_track"], "2"),
        (["delayed"], "2"),
        (["completed", "cancelled"], "3"),
        (["completed"], "3"),
        (["cancelled"], "5"),
    ],
)
def test_activity_status_from_reported_statuses(statuses, code):
    assert activity_status(statuses) == code


def test_numbers_and_shares():
    assert [number(v) for v in (120.0, 0.1, 1e20, 2.5e-7)] == [
        "120",
        "0.1",
        "100000000000000000000",
        "0.00000025",
    ]
    assert shares(6) == ["16.67"] * 5 + ["16.65"] and shares(1) == ["100"]
    assert shares(3) == ["33.33", "33.33", "33.34"]


def test_schema_ships_with_its_includes_and_licence():
    folder = files("matrix").joinpath("standards/iati-2.03")
    names = {p.name for p in folder.iterdir()}
    assert {"iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd", "LICENSE"} <= names
    assert 'version="2.03"' in folder.joinpath("iati-activities-schema.xsd").read_text(
        encoding="utf-8"
    )


def test_dar_example_declares_what_iati_needs(dar):
    plan = dar
    assert plan.iati and plan.iati.reporting_org and plan.iati.region


def test_the_plan_template_shows_an_iati_block_that_works(run, tmp_path):
    assert run("init", "project").exit_code == 0
    plan_file = tmp_path / "project" / "plan.yaml"
    lines = plan_file.read_text(encoding="utf-8").splitlines()
    start = end = lines.index("# iati:")
    while lines[end + 1].startswith("#   "):
        end += 1
    lines[start : end + 1] = [line[2:] for line in lines[start : end + 1]]
    plan_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("plan", "check", plan_file).exit_code == 0
    assert load_plan(plan_file).iati.reporting_org.ref == "XM-DAC-41121"


SMALL = {
    "schema_version": 1,
    "id": "small",
    "title": "Plan regional pequeño",
    "scope": "regional",
    "framework": {
        "id": "own",
        "title": "Propio",
        "action_points": [{"number": 1, "id": "P1", "title": "Protección"}],
    },
    "region": {"code": "REG", "name": "La región"},
    "countries": ["KEN", "TZA"],
    "reporting": {"frequency": "quarterly", "first_period": "2026-Q3"},
    "actors": [
        {"id": "UNHCR", "name": "ACNUR", "type": "un_agency", "iati_type": 21},
        {"id": "FUND", "name": "Un fondo", "type": "donor"},
    ],
    "objectives": [
        {
            "id": "O1",
            "action_point": "P1",
            "title": "Objetivo",
            "activities": [
                {
                    "id": "A1",
                    "title": "Perfiles",
                    "description": "Descripción",
                    "lead": "UNHCR",
                    "partners": ["FUND"],
                    "indicators": [{"name": "Llegadas perfiladas", "unit": "%", "target": 80}],
                    "budget": 1000,
                },
                {
                    "id": "A2",
                    "title": "Regional",
                    "lead": "UNHCR",
                    "regional": True,
                    "start": "2026-08-01",
                    "indicators": [
                        {"name": "Informes", "unit": "informes", "target": 4, "cumulative": False}
                    ],
                },
                {
                    "id": "A3",
                    "title": "Dos años",
                    "lead": "FUND",
                    "countries": ["KEN"],
                    "start": "2026-07-01",
                    "end": "2027-12-31",
                    "budget": 90000,
                    "currency": "EUR",
                },
            ],
        }
    ],
    "iati": {
        "reporting_org": {"ref": "XI-IATI-EXAMPLE", "type": 21, "name": "Ejemplo"},
        "default_language": "es",
    },
}


def test_a_sparser_plan_in_its_own_language_still_makes_a_valid_file(tmp_path):
    """Percentages, no dates, a donor, the plan's own framework, and no region declared for IATI."""
    from matrix.export import export as export_dataset

    plan = Plan.model_validate(SMALL)
    out = tmp_path / "a.xml"
    with Store.open(tmp_path / "s.sqlite") as store:
        store.record(make_result(plan, "REG", "2026-Q3", actual=50), plan)
        export_dataset(plan, store, None, "iati", out)
    assert schema_errors(out) == []
    share, regional, two_years = etree.parse(str(out)).getroot()
    assert share.get(XML_LANG) == "es"
    indicator = share.find("result/indicator")
    assert (indicator.get("measure"), indicator.get("aggregation-status")) == ("2", "0")
    assert indicator.findtext("description/narrative").startswith("Medido en %.")
    assert indicator.find("description/narrative").get(XML_LANG) is None
    period = indicator.find("period")
    values = [
        (v.tag, v.get("value"), v.find("dimension") is not None)
        for v in period.iter("target", "actual")
    ]
    assert (
        values == [("target", "80", True)] * 2 + [("actual", "50", True)] * 2
    )  # no total of percentages
    assert [(d.get("type"), d.get("iso-date")) for d in share.iter("activity-date")] == [
        ("1", "2026-07-01")
    ]
    assert share.find("budget") is None  # no end date, no budget period
    assert share.find("description[@type='1']/narrative").text == "Descripción"
    assert [
        (o.findtext("narrative"), o.get("type"), o.get("role"))
        for o in share.iter("participating-org")
    ] == [
        ("ACNUR", "21", "2"),
        ("ACNUR", "21", "4"),
        ("Un fondo", None, "1"),
    ]
    assert (
        share.findtext("sector/narrative") == "Protección"
        and share.find("sector/narrative").get(XML_LANG) is None
    )
    region = regional.find("recipient-region")
    assert (region.get("code"), region.get("vocabulary"), region.findtext("narrative")) == (
        "REG",
        "99",
        "La región",
    )
    assert regional.find("result/indicator").get("aggregation-status") == "1"
    budgets = [
        (
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.findtext("value"),
        )
        for b in two_years.iter("budget")
    ]
    assert budgets == [
        ("2026-07-01", "2027-06-30", "59836.07"),
        ("2027-07-01", "2027-12-31", "30163.93"),
    ]
    assert {b.find("value").get("currency") for b in two_years.iter("budget")} == {"EUR"}
    assert two_years.find("result") is None


def test_budget_years_cover_the_activity_and_add_up():
    spans = budget_years(date(2028, 2, 29), date(2030, 3, 15), 1000)
    assert [(a.isoformat(), b.isoformat()) for a, b, _ in spans] == [
        ("2028-02-29", "2029-02-28"),
        ("2029-03-01", "2030-02-28"),
        ("2030-03-01", "2030-03-15"),
    ]
    assert sum(amount for *_, amount in spans) == 1000
    assert budget_years(date(2026, 7, 1), date(2027, 6, 30), 60000) == [
        (date(2026, 7, 1), date(2027, 6, 30), 60000)
    ]


def test_titles_in_every_language_the_plan_gives(run, tmp_path, sudan_store):
    """The Sudan strategy gives its titles in English and Arabic: both go out, the Arabic marked."""
    xml = export(run, "iati", tmp_path / "a.xml", SUDAN, sudan_store)
    activity = next(
        a
        for a in etree.parse(str(xml)).iter("iati-activity")
        if a.findtext("iati-identifier").endswith("-AP1-1")
    )
    titles = {n.get(XML_LANG): n.text for n in activity.find("title").iter("narrative")}
    assert titles == {
        None: "Convene the monthly inter-agency task force on trafficking and smuggling",
        "ar": "عقد الاجتماع الشهري لفرقة العمل المشتركة بين الوكالات المعنية بالاتجار والتهريب",
    }
    assert schema_errors(xml) == []
