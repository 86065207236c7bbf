"""Who is expected to report: the countries, and the regional bureau only when the plan has
region-wide activities or says the bureau reports; a regional workbook reports for the country
sheets it filled."""

from __future__ import annotations

from pathlib import Path

import yaml

from matrix.models.plan import Plan
from matrix.plan import expected_offices, load_plan, plan_index
from matrix.validation import validate_file
from store_helpers import returned_matrix

PERIOD = "2026-Q3"


def without_region_wide_work(plan: Plan, **region: object) -> Plan:
    """The plan with its region-wide activities left out (and `region` fields changed)."""
    objectives = [
        o.model_copy(update={"activities": [a for a in o.activities if not a.regional]})
        for o in plan.objectives
    ]
    assert plan.region is not None
    return plan.model_copy(
        update={"objectives": objectives, "region": plan.region.model_copy(update=region)}
    )


def test_the_region_is_expected_only_with_region_wide_activities_or_when_the_plan_says_so(dar):
    assert expected_offices(dar) == [*dar.countries, "EHAGL"]
    plain = without_region_wide_work(dar)
    assert expected_offices(plain) == dar.countries
    assert plan_index(plain).reporting_offices == (*dar.countries, "EHAGL")  # it may still report
    assert expected_offices(without_region_wide_work(dar, reports=True)) == [
        *dar.countries,
        "EHAGL",
    ]
    silent = dar.model_copy(update={"region": dar.region.model_copy(update={"reports": False})})
    assert expected_offices(silent) == dar.countries


def test_saying_who_reports_keeps_the_plans_version(dar):
    """It never reaches a workbook, so returns already sent out still match the plan."""
    told = dar.model_copy(update={"region": dar.region.model_copy(update={"reports": True})})
    assert told.content_hash() == dar.content_hash()


def test_region_reports_is_read_from_the_plan(tmp_path, dar):
    text = yaml.safe_dump(dar.model_dump(mode="json", exclude_none=True), sort_keys=False)
    path = tmp_path / "plan.yaml"
    path.write_text(
        text.replace("  name: East and Horn", "  reports: true\n  name: East and Horn", 1)
    )
    assert load_plan(path).region.reports is True


def write_plan(plan: Plan, folder: Path) -> Path:
    path = folder / "plan.yaml"
    path.write_text(
        yaml.safe_dump(
            plan.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True
        ),
        encoding="utf-8",
    )
    return path


def test_a_regional_workbook_is_accepted_with_the_country_sheets_it_filled(
    tmp_path, monkeypatch, dar
):
    monkeypatch.chdir(tmp_path)
    path = returned_matrix(dar, PERIOD, tmp_path, regional=True, filled={"KEN", "EHAGL"})
    result = validate_file(dar, path)
    assert result.accepted, [i.render() for i in result.issues if i.is_error]
    assert {r.country for r in result.rows} == {"KEN", "EHAGL"}
    blank = {i.sheet for i in result.issues if i.code == "country-sheet-blank"}
    assert len(blank) == len(dar.countries) - 1 and not any("KEN" in s for s in blank)


def test_a_half_filled_country_sheet_is_still_checked(tmp_path, monkeypatch, dar):
    """Only a sheet with nothing in it means "no report for that country"."""
    import openpyxl

    from validation_helpers import columns, ref_rows, sheet_of

    monkeypatch.chdir(tmp_path)
    path = returned_matrix(dar, PERIOD, tmp_path, regional=True, filled={"KEN", "EHAGL"})
    wb = openpyxl.load_workbook(path)
    ws = sheet_of(wb, "ETH")
    first = next(iter(ref_rows(ws).values()))
    ws.cell(first, columns(ws)["comments"]).value = "Started in September"
    wb.save(path)
    result = validate_file(dar, path)
    assert not result.accepted
    assert "status-missing" in {i.code for i in result.issues if i.sheet == ws.title}


def test_status_exits_0_once_every_country_returned_on_a_plan_without_region_wide_work(
    tmp_path, run, dar
):
    plain = without_region_wide_work(dar)
    plan_file = write_plan(plain, tmp_path)
    returns = tmp_path / "returns"
    returns.mkdir()
    for country in plain.countries[:-1]:
        returned_matrix(plain, PERIOD, returns, office=country)
    assert run("collect", returns, "--plan", plan_file).exit_code == 0
    missing = run("status", "--period", PERIOD, "--plan", plan_file)
    assert missing.exit_code == 1 and "EHAGL" not in missing.output
    returned_matrix(plain, PERIOD, returns, office=plain.countries[-1])
    assert run("collect", returns, "--plan", plan_file).exit_code == 0
    done = run("status", "--period", PERIOD, "--plan", plan_file)
    assert done.exit_code == 0, done.output
    assert f"{len(plain.countries)} of {len(plain.countries)} offices returned" in done.output
    report = run("report", "--period", PERIOD, "--plan", plan_file, "-o", tmp_path / "report.html")
    assert report.exit_code == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Region-wide" not in html


def test_plan_check_warns_when_region_wide_work_has_nobody_to_report_it(tmp_path, run, dar):
    silent = dar.model_copy(update={"region": dar.region.model_copy(update={"reports": False})})
    result = run("plan", "check", write_plan(silent, tmp_path))
    assert result.exit_code == 0
    assert "region-not-reporting" in result.output and "CAP-2" in result.output
    assert "region-not-reporting" not in run("plan", "check", write_plan(dar, tmp_path)).output
