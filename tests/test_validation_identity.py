"""A correctly filled matrix validates clean; a workbook of another plan, another plan version, or
without its metadata is an error that says what it is."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import DAR, SUDAN
from matrix.excel.layout import META_SHEET, plan_rows
from matrix.models.plan import Status
from matrix.validation import validate_file
from validation_helpers import fill_good, issues_of, make_matrix, sheet_of


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar"])
def test_national_matrix_filled_correctly_is_clean(tmp_path, lang):
    plan, path = make_matrix(tmp_path, SUDAN, lang=lang)
    fill_good(path, plan, lang=lang)
    result = validate_file(plan, path)
    assert result.issues == []
    assert result.accepted
    assert result.identity.office == "SDN" and result.identity.lang == lang
    assert {row.status for row in result.rows} == {Status.ON_TRACK}
    assert len(result.rows) == 16
    assert result.sha256 and result.size == path.stat().st_size


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_regional_matrix_filled_correctly_is_clean(tmp_path, lang):
    plan, path = make_matrix(tmp_path, DAR, lang=lang, regional=True)
    for office in [*plan.countries, plan.region.code]:
        fill_good(path, plan, lang=lang, office=office)
    result = validate_file(plan, path)
    assert result.issues == []
    assert result.identity.regional and result.identity.office == "EHAGL"
    countries = {row.country for row in result.rows}
    assert countries == {*plan.countries, "EHAGL"}
    regional_refs = {row.ref for row in result.rows if row.country == "EHAGL"}
    assert regional_refs == {row.ref for row in plan_rows(plan, None)} and "CAP-2" in regional_refs


def test_country_and_period_come_from_metadata_not_file_name(tmp_path):
    plan, path = make_matrix(tmp_path, DAR, country="KEN")
    fill_good(path, plan)
    renamed = path.rename(tmp_path / "ZAF_2030-Q1.xlsx")
    result = validate_file(plan, renamed)
    assert (result.identity.office, result.identity.period) == ("KEN", plan.reporting.first_period)
    assert {row.country for row in result.rows} == {"KEN"}


def test_blank_matrix_asks_for_every_status(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    result = validate_file(plan, path)
    assert {i.code for i in result.issues} == {"status-missing"}
    assert len(result.issues) == 16
    assert not result.accepted


def test_workbook_of_another_plan(tmp_path):
    _plan, path = make_matrix(tmp_path, SUDAN)
    other, _ = make_matrix(tmp_path / "other", DAR)
    [issue] = validate_file(other, path).issues
    assert issue.code == "other-plan"
    assert "sdn-joint-strategy" in issue.message and other.id in issue.message


def test_workbook_of_another_plan_version(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    fill_good(path, plan)
    changed = plan.model_copy(update={"title": plan.title + " (revised)"})
    result = validate_file(changed, path)
    assert [i.code for i in result.issues] == ["plan-version-mismatch"]
    assert result.identity is not None and not result.accepted
    assert result.rows == []


def test_metadata_sheet_deleted(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    wb = openpyxl.load_workbook(path)
    del wb[META_SHEET]
    wb.save(path)
    result = validate_file(plan, path)
    assert [i.code for i in result.issues] == ["metadata-missing"]
    assert result.identity is None


def test_metadata_damaged(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    wb = openpyxl.load_workbook(path)
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "plan_hash":
            row[1].value = None
    wb.save(path)
    [issue] = validate_file(plan, path).issues
    assert issue.code == "metadata-damaged" and "plan_hash" in issue.message


def test_unhidden_metadata_is_still_read(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    fill_good(path, plan)
    wb = openpyxl.load_workbook(path)
    wb[META_SHEET].sheet_state = "visible"
    wb.save(path)
    assert issues_of(plan, path) == set()


def test_regional_sheet_found_by_role(tmp_path):
    _plan, path = make_matrix(tmp_path, DAR, regional=True)
    wb = openpyxl.load_workbook(path)
    assert sheet_of(wb, "EHAGL").title != sheet_of(wb, "KEN").title


def test_sheet_calamine_cannot_parse_is_an_issue(tmp_path):
    from validation_helpers import rewrite

    plan, path = make_matrix(tmp_path, SUDAN)
    broken = rewrite(path, tmp_path / "broken.xlsx", replace={
        "xl/worksheets/sheet2.xml": (b"<sheetData>", b"<sheetData><row r=")})
    result = validate_file(plan, broken)
    assert [i.code for i in result.issues] == ["workbook-unreadable"]
    assert not result.accepted


def test_return_saved_by_libreoffice_is_clean(tmp_path):
    import subprocess

    from conftest import require_tool

    soffice = require_tool("soffice")
    plan, path = make_matrix(tmp_path / "sent", SUDAN, lang="fr")
    fill_good(path, plan, lang="fr")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "saved"), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    result = validate_file(plan, tmp_path / "saved" / path.name)
    assert result.issues == [] and len(result.rows) == 16


def test_workbook_for_an_office_the_plan_does_not_cover(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    wb = openpyxl.load_workbook(path)
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "office":
            row[1].value = "ERI"
    wb.save(path)
    result = validate_file(plan, path)
    assert [(i.code, i.value) for i in result.issues] == [("office-not-in-plan", "ERI")]
