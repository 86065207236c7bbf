"""An office's overview, initiatives and good practices through the command line: generate,
collect, report, compendium, export in every format, and the next period's matrix pre-filled."""

from __future__ import annotations

import csv
import json
import shutil

import hxl
import openpyxl
import pytest

from checkout import DAR
from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.plan import load_plan
from narrative_helpers import LEGAL_AID, overview, type_in
from test_export_schema import validator
from validation_helpers import fill_good, sheet_by_role


@pytest.fixture
def project(tmp_path):
    shutil.copy(DAR, tmp_path / "plan.yaml")
    return tmp_path


def kenya_return(run, project, period: str, folder: str):
    plan = load_plan(project / "plan.yaml")
    assert (
        run("generate", "plan.yaml", "--period", period, "--country", "KEN", "-o", folder).exit_code
        == 0
    )
    [path] = (project / folder).glob("*.xlsx")
    fill_good(path, plan)
    return plan, path


def test_what_offices_write_goes_from_their_workbook_to_every_output(run, project):
    plan, path = kenya_return(run, project, "2026-Q3", "q3")
    overview(
        path, plan, {"main_trends": "Arrivals steady.", "challenges_and_gaps": "=Legal aid is thin"}
    )
    type_in(
        path,
        SheetRole.INITIATIVES,
        {0: LEGAL_AID},
    )
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": "I1",
                "practice": "Legal aid that reaches police cells",
                "background": "People were charged unseen.",
                "practice_actors": "NGOs\nLaw clinics",
                "actions": "Visited cells\nReferred cases",
                "review": "Fewer people prosecuted.",
                "further_information": "Report: https://www.unhcr.org/r.pdf",
            }
        },
    )
    result = run("collect", path, "--period", "2026-Q3")
    assert result.exit_code == 0, result.output

    assert run("report", "--period", "2026-Q3", "-o", "report.html").exit_code == 0
    html = (project / "report.html").read_text(encoding="utf-8")
    assert (
        html.index('data-overview="KEN"')
        < html.index("Arrivals steady.")
        < html.index('id="office-tza"')
    )
    assert "Legal aid that reaches police cells" in html and 'data-initiative="KEN/I1"' in html

    result = run("compendium", "-o", "compendium.html")
    assert result.exit_code == 0 and "(1 good practice)" in result.output

    assert (
        run(
            "export", "--format", "csv", "--table", "initiatives", "-o", "initiatives.csv"
        ).exit_code
        == 0
    )
    with (project / "initiatives.csv").open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["office"], row["ref"], row["action_point"], row["start"], row["status"]) == (
        "KEN",
        "I1",
        "OPS",
        "2025-02-01",
        "on_track",
    )
    assert (
        run("export", "--format", "csv", "--table", "overviews", "-o", "overviews.csv").exit_code
        == 0
    )
    with (project / "overviews.csv").open(encoding="utf-8-sig", newline="") as handle:
        texts = [r["text"] for r in csv.DictReader(handle)]
    assert texts == ["Arrivals steady.", "'=Legal aid is thin"]  # a formula stays text
    assert (
        run(
            "export", "--format", "hxl", "--table", "good_practices", "-o", "practices.csv"
        ).exit_code
        == 0
    )
    [practice] = list(hxl.data(str(project / "practices.csv"), hxl.InputOptions(allow_local=True)))
    assert (
        practice.get("#activity+code+initiative") == "I1" and practice.get("#sector+code") == "OPS"
    )
    assert practice.get("#org+impl") == "NGOs\nLaw clinics"
    assert practice.get("#meta+url") == "Report: https://www.unhcr.org/r.pdf"

    assert run("export", "--format", "json", "-o", "all.json").exit_code == 0
    document = json.loads((project / "all.json").read_text(encoding="utf-8"))
    assert [e.message for e in validator().iter_errors(document)] == []
    assert document["good_practices"][0]["actions"] == ["Visited cells", "Referred cases"]
    assert document["good_practices"][0]["further_information"] == [
        {"text": "Report", "url": "https://www.unhcr.org/r.pdf"}
    ]
    assert run("export", "--format", "xlsx", "-o", "all.xlsx").exit_code == 0
    book = openpyxl.load_workbook(project / "all.xlsx")
    assert book.sheetnames[-3:] == ["Initiatives", "Overviews", "Good practices"]
    assert (
        book["Overviews"]["F3"].value == "=Legal aid is thin"
        and book["Overviews"]["F3"].data_type == "s"
    )

    result = run("export", "--format", "xlsx", "--table", "initiatives", "-o", "x.xlsx")
    assert result.exit_code == 2 and "xlsx holds every table" in result.output

    # the next quarter's matrix starts from this one's overview and initiatives
    result = run(
        "generate", "plan.yaml", "--period", "2026-Q4", "--country", "KEN", "--prefill", "-o", "q4"
    )
    assert result.exit_code == 0, result.output
    [q4] = (project / "q4").glob("*.xlsx")
    wb = openpyxl.load_workbook(q4)
    assert (
        sheet_by_role(wb, SheetRole.OVERVIEW)[f"B{layout.FIRST_DATA_ROW}"].value
        == "Arrivals steady."
    )
    initiatives = sheet_by_role(wb, SheetRole.INITIATIVES)
    assert initiatives[f"B{layout.FIRST_DATA_ROW}"].value == "Legal aid at police stations"
    assert (
        sheet_by_role(wb, SheetRole.GOOD_PRACTICES)[f"C{layout.FIRST_DATA_ROW}"].value is None
    )  # told once


def test_a_return_with_a_bad_good_practice_is_rejected_and_says_where(run, project):
    _, path = kenya_return(run, project, "2026-Q3", "q3")
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            2: {
                "subject": "CAP-1",
                "background": "B",
                "practice_actors": "UNHCR",
                "review": "R",
            }
        },
    )
    result = run("collect", path)
    assert result.exit_code == 1
    assert "Good practices!E6: good practice" in result.output
    result = run("validate", path)
    assert (
        result.exit_code == 1
        and "Good practices!E6  error  good-practice-part-missing" in result.output
    )
    assert "has nothing in 'C. Actions'" in result.output
