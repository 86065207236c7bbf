"""The sheets beside the matrix: the Guide (the framework's and the plan's guidance per action
point, in the workbook's language, with the office's activities), the Overview, Initiatives and
Good practices sheets, their locked cells, checks and drop-downs, right-to-left in Arabic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from checkout import DAR
from matrix.excel import layout
from matrix.excel.layout import DROP_DOWNS, Kind, SheetRole
from matrix.excel.writer import write_workbook
from matrix.frameworks import builtin_framework
from matrix.guidance import guide
from matrix.i18n import LANGUAGES, t
from matrix.models.returns import Narratives, OverviewText
from matrix.periods import Period
from matrix.plan import load_plan, plan_index
from narrative_helpers import initiative
from validation_helpers import columns, sheet_by_role
from workbook_helpers import metadata, open_workbook

AT = datetime(2026, 8, 1, 9, 30, tzinfo=UTC)
OWN_GUIDANCE = """
guidance:
  OPS:
    stakeholders:
      en: ["Agree with the border police where new arrivals are referred at night."]
  5:
    replace: true
    unhcr_support:
      en: ["A regional data officer, shared by the six countries."]
      fr: ["Un chargé des données régional, partagé par les six pays."]
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """The Dar es Salaam plan with guidance of its own for two areas."""
    path = tmp_path_factory.mktemp("plan") / "plan.yaml"
    path.write_text(DAR.read_text(encoding="utf-8") + OWN_GUIDANCE, encoding="utf-8")
    return load_plan(path)


def workbook(plan, tmp_path, lang="en", office="KEN", regional=False, narratives=None):
    path = tmp_path / f"{office}_{lang}.xlsx"
    write_workbook(
        plan,
        office,
        Period.parse("2026-Q3"),
        lang,
        path,
        regional=regional,
        generated_at=AT,
        narratives=narratives,
    )
    return open_workbook(path)


def texts(ws) -> list[str]:
    """The Guide's first column, top to bottom (its paragraphs span the sheet)."""
    return [str(row[0]) for row in ws.iter_rows(values_only=True) if row[0] is not None]


def test_guide_shows_the_framework_and_the_plan_guidance_in_the_workbook_language(plan, tmp_path):
    lines = texts(sheet_by_role(workbook(plan, tmp_path, "fr"), SheetRole.GUIDE))
    framework = builtin_framework("dar-es-salaam-2010")
    ops = framework.action_point("OPS")
    start = f"3. {t('fr', 'framework.dar-es-salaam-2010.OPS')}"
    # the framework's French suggestions, then the plan's own in English, the only language it gave
    own = lines[lines.index(start) :]
    shown = own[
        own.index(t("fr", "guide.stakeholders")) + 1 : own.index(t("fr", "guide.unhcr_support"))
    ]
    assert shown == [f"• {item}" for item in ops.guidance.stakeholders["fr"]] + [
        "• Agree with the border police where new arrivals are referred at night."
    ]


def test_plan_guidance_can_replace_the_framework_list(plan, tmp_path):
    dat = builtin_framework("dar-es-salaam-2010").action_point("DAT")
    for lang, expected in (
        ("fr", "Un chargé des données régional, partagé par les six pays."),
        ("es", "A regional data officer, shared by the six countries."),
    ):
        advice = guide(plan, dat, lang)
        assert advice.unhcr_support == [expected]
        assert advice.stakeholders == dat.guidance.stakeholders[lang]  # not given: the framework's


def test_guide_lists_the_office_activities_under_their_action_point(plan, tmp_path):
    ws = sheet_by_role(workbook(plan, tmp_path), SheetRole.GUIDE)
    rows = [row for row in ws.iter_rows(values_only=True) if row[0] == "CAP-1"]
    [(_, title, lead, partners, start, end)] = rows
    cap1 = next(a for _, a in plan.activities() if a.id == "CAP-1")
    assert (title, lead, partners) == (cap1.title, cap1.lead, ", ".join(cap1.partners))
    assert (start.date(), end.date()) == (cap1.start, cap1.end)
    every = {a.id for _, a in plan.activities()}
    shown = {row[0] for row in ws.iter_rows(values_only=True) if row[0] in every}
    assert shown == {a.id for _, a in plan.activities() if "KEN" in plan.activity_countries(a)}
    assert ws.protection.sheet
    assert all(
        ws.cell(r, c).protection.locked for r in range(1, ws.max_row + 1) for c in range(1, 7)
    )


def test_an_action_point_without_activity_says_so(tmp_path, dar):
    plan = dar
    regional = texts(
        sheet_by_role(workbook(plan, tmp_path, office="EHAGL", regional=True), SheetRole.GUIDE)
    )
    assert (
        t("en", "guide.no_activity") not in regional
    )  # the regional workbook holds every activity
    one_area = plan.model_copy(update={"objectives": plan.objectives[:1]})
    lines = texts(sheet_by_role(workbook(one_area, tmp_path), SheetRole.GUIDE))
    assert (
        lines.count(t("en", "guide.no_activity"))
        == len(plan_index(plan).framework.action_points) - 1
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_overview_asks_for_each_heading_within_its_limit(plan, tmp_path, lang):
    ws = sheet_by_role(workbook(plan, tmp_path, lang), SheetRole.OVERVIEW)
    cols = columns(ws, tuple(c.key for c in layout.OVERVIEW_COLUMNS))
    first = layout.FIRST_DATA_ROW
    headings = [ws.cell(r, cols["heading"]).value for r in range(first, first + 4)]
    assert headings == [
        t(lang, f"overview.heading.{h}")
        for h in (
            "main_trends",
            "key_developments",
            "challenges_and_gaps",
            "priorities_next_period",
        )
    ]
    assert ws.cell(first, cols["what_to_cover"]).value.endswith(
        t(lang, "overview.optional", limit=1000)
    )
    assert ws.cell(first + 1, cols["characters"]).value == "=LEN(B5)"
    assert ws.cell(first, cols["heading"]).protection.locked
    assert not ws.cell(first, cols["summary"]).protection.locked
    lengths = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1)
        for dv in ws.data_validations.dataValidation
    }
    assert lengths == {
        f"B{r}": ("textLength", "lessThanOrEqual", "1000") for r in range(first, first + 4)
    }
    assert ws.protection.sheet and bool(ws.sheet_view.rightToLeft) is (lang == "ar")


def test_initiative_rows_are_numbered_and_checked(plan, tmp_path):
    wb = workbook(plan, tmp_path)
    ws = sheet_by_role(wb, SheetRole.INITIATIVES)
    cols = columns(ws, tuple(c.key for c in layout.INITIATIVE_COLUMNS))
    first, last = layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + layout.INITIATIVE_ROWS - 1
    assert [ws.cell(r, cols["ref"]).value for r in range(first, last + 1)] == [
        f"I{n}" for n in range(1, 31)
    ]
    assert ws.cell(first, cols["ref"]).protection.locked
    assert not any(ws.cell(first, cols[k]).protection.locked for k in cols if k != "ref")
    kinds = {str(dv.sqref).split(":")[0][:1]: dv.type for dv in ws.data_validations.dataValidation}
    letters = {key: ws.cell(3, column).column_letter for key, column in cols.items()}
    assert kinds[letters["status"]] == kinds[letters["action_point"]] == "list"
    assert kinds[letters["start"]] == kinds[letters["end"]] == "date"
    assert kinds[letters["initiative"]] == "textLength"


def test_good_practices_choose_an_activity_or_an_initiative(plan, tmp_path):
    wb = workbook(plan, tmp_path)
    ws = sheet_by_role(wb, SheetRole.GOOD_PRACTICES)
    lists = sheet_by_role(wb, SheetRole.LISTS)
    column = DROP_DOWNS[Kind.SUBJECT].list_column + 1
    choices = [
        row[0].value for row in lists.iter_rows(min_col=column, max_col=column) if row[0].value
    ]
    kenya = [a for _, a in plan.activities() if "KEN" in plan.activity_countries(a)]
    assert choices == [layout.subject_label(a.id, a.title) for a in kenya] + [
        f"I{n}" for n in range(1, 31)
    ]
    [subject] = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("A")]
    assert subject.type == "list" and subject.formula1.endswith(f"$D$1:$D${len(choices)}")
    assert all(
        ws.row_dimensions[r].height == layout.GOOD_PRACTICE_ROW_HEIGHT
        for r in range(layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + layout.GOOD_PRACTICE_ROWS)
    )


def test_the_last_return_starts_the_overview_and_the_initiatives(plan, tmp_path):
    last = Narratives(
        overview=[OverviewText(heading="key_developments", text="The first desk opened.")],
        initiatives=[initiative(row=5, ref="I2")],
    )
    wb = workbook(plan, tmp_path, "fr", narratives=last)
    overview = sheet_by_role(wb, SheetRole.OVERVIEW)
    assert overview["B5"].value == "The first desk opened." and overview["B4"].value is None
    initiatives = sheet_by_role(wb, SheetRole.INITIATIVES)
    assert [c.value for c in initiatives[5]][:7] == [
        "I2",
        "Legal aid",
        f"3. {t('fr', 'framework.dar-es-salaam-2010.OPS')}",
        "NGOs",
        datetime(2025, 2, 1),
        None,
        t("fr", "status.on_track"),
    ]
    lists = sheet_by_role(wb, SheetRole.LISTS)
    assert "I2: Legal aid" in [row[0].value for row in lists.iter_rows(min_col=4, max_col=4)]


def test_every_sheet_is_right_to_left_in_arabic_and_the_record_names_them(plan, tmp_path):
    wb = workbook(plan, tmp_path, "ar")
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    sheets = metadata(wb).sheets
    for role in (
        SheetRole.INITIATIVES,
        SheetRole.GOOD_PRACTICES,
        SheetRole.OVERVIEW,
        SheetRole.GUIDE,
    ):
        assert sheets[role.value] == t("ar", f"sheet.{role.value}")
        assert wb[sheets[role.value]].protection.sheet
