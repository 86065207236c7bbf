"""The Overview, Initiatives, Good practices and Guide sheets saved again by LibreOffice Calc: what
the office wrote reads back identically, and protection, checks, drop-downs and right-to-left
survive, so an office working in Calc loses nothing."""

from __future__ import annotations

from datetime import date

import pytest

from checkout import DAR, SUDAN, require_tool
from libreoffice_helpers import saved_by_calc
from matrix.excel.layout import SheetRole
from matrix.validation import validate_file
from narrative_helpers import overview, type_in
from test_libreoffice import _validations
from validation_helpers import fill_good, make_matrix, sheet_by_role
from workbook_helpers import metadata, open_workbook

CASES = {
    # case: (plan, office, language, regional)
    "KEN_en": (DAR, "KEN", "en", False),
    "SDN_ar": (SUDAN, "SDN", "ar", False),
    "EHAGL_fr": (DAR, "EHAGL", "fr", True),
}
SUBJECT = {"KEN_en": "CAP-1", "SDN_ar": "AP1-1", "EHAGL_fr": "CAP-2"}
NARRATIVE_ROLES = (SheetRole.INITIATIVES, SheetRole.GOOD_PRACTICES, SheetRole.OVERVIEW)


def fill_narratives(path, plan, case: str, lang: str):
    headings = {
        "main_trends": "Arrivals steady; more adolescents alone.\nTwo new routes.",
        "priorities_next_period": "Open the second desk — before June.",
    }
    if plan.overview is not None:
        headings["security"] = "تم الإبلاغ عن حادثتي اختطاف في كسلا."
    overview(path, plan, headings, lang=lang)
    type_in(
        path,
        SheetRole.INITIATIVES,
        {
            0: {
                "initiative": "Legal aid at police stations",
                "action_point": "1",
                "actors": "Legal aid NGOs, law clinics",
                "start": date(2025, 2, 1),
                "end": date(2027, 1, 31),
                "status": "completed",
                "comments": "Ends with its grant",
            },
            4: {
                "initiative": "Working group «mixed movements»",
                "action_point": "1",
                "status": "on_track",
            },
        },
    )
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": SUBJECT[case],
                "practice": "One training for all",
                "background": "Officials did not know the law.",
                "practice_actors": "UNHCR\nGovernment",
                "actions": "- Agreed a curriculum\n- Trained trainers",
                "review": "Officials refer people now.",
                "further_information": "Report: https://www.unhcr.org/r.pdf",
            },
            1: {
                "subject": "I1",
                "background": "B",
                "practice_actors": "NGOs",
                "actions": "Visits",
                "review": "R",
            },
        },
    )


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """case -> (plan, language, result before, result after, workbook before, workbook after)."""
    require_tool("soffice")  # before building anything
    src = tmp_path_factory.mktemp("filled")
    made = {}
    for case, (plan_file, office, lang, regional) in CASES.items():
        plan, path = make_matrix(
            src / case,
            plan_file,
            lang=lang,
            regional=regional,
            country=None if regional else office,
        )
        for sheet_office in [*plan.countries, plan.region.code] if regional else [office]:
            fill_good(path, plan, lang=lang, office=sheet_office)
        fill_narratives(path, plan, case, lang)
        renamed = path.rename(src / f"{case}.xlsx")
        made[case] = (plan, lang, renamed)
    out = saved_by_calc([path for *_, path in made.values()], tmp_path_factory)
    return {
        case: (
            plan,
            lang,
            validate_file(plan, path),
            validate_file(plan, out / path.name),
            open_workbook(path),
            open_workbook(out / path.name),
        )
        for case, (plan, lang, path) in made.items()
    }


@pytest.mark.parametrize("case", CASES)
def test_what_the_office_wrote_reads_back_identically(round_trip, case):
    plan, _, before, after, *_ = round_trip[case]
    assert before.accepted, [i.render() for i in before.issues]
    assert after.accepted, [i.render() for i in after.issues]
    assert len(before.narratives.overview) == (3 if plan.overview else 2)
    assert len(before.narratives.initiatives) == 2 and len(before.narratives.good_practices) == 2
    assert after.narratives == before.narratives
    assert after.rows == before.rows


@pytest.mark.parametrize("case", CASES)
def test_protection_checks_and_direction_survive(round_trip, case):
    _, lang, _, _, before, after = round_trip[case]
    lists = metadata(after).sheets[SheetRole.LISTS]
    for role in (*NARRATIVE_ROLES, SheetRole.GUIDE):
        ws_before, ws_after = sheet_by_role(before, role), sheet_by_role(after, role)
        assert ws_after.protection.sheet, role
        assert _validations(ws_after, lists) == _validations(ws_before, lists), role
        assert bool(ws_after.sheet_view.rightToLeft) is (lang == "ar")
    guide_before = [r for r in sheet_by_role(before, SheetRole.GUIDE).iter_rows(values_only=True)]
    guide_after = [r for r in sheet_by_role(after, SheetRole.GUIDE).iter_rows(values_only=True)]
    assert [r[0] for r in guide_after] == [r[0] for r in guide_before]


def test_signed_record_names_the_new_sheets_after_calc(round_trip):
    *_, before, after = round_trip["KEN_en"]
    assert metadata(after).sheets == metadata(before).sheets
    assert {SheetRole.OVERVIEW, SheetRole.GUIDE} <= set(metadata(after).sheets)
