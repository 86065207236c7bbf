"""The workbook an office receives, opened the way another tool would (openpyxl, normal mode)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from openpyxl.utils import get_column_letter

from matrix import __version__
from matrix.countries import country_name
from matrix.excel import layout
from matrix.excel.metadata import matrix_role
from matrix.excel.writer import write_workbook
from matrix.i18n import LANGUAGES, action_point_label, action_point_number, status_label, t
from matrix.models.plan import Status, in_language
from matrix.models.returns import ProgressRow
from matrix.periods import Period, due_date
from matrix.plan import load_plan, plan_index, plan_rows
from test_plan import MINIMAL, write
from workbook_helpers import (
    data_rows,
    header_columns,
    locked_fingerprint,
    metadata,
    open_workbook,
    sudan_prefill,
)

GENERATED_AT = datetime(2026, 8, 1, 9, 30, tzinfo=UTC)


def every_language(plan, office, period, out, regional=False):
    """lang -> openpyxl workbook of the same matrix written in each catalogue language."""
    books = {}
    for lang in LANGUAGES:
        path = out / f"{office}_{lang}.xlsx"
        write_workbook(
            plan,
            office,
            Period.parse(period),
            lang,
            path,
            regional=regional,
            generated_at=GENERATED_AT,
        )
        books[lang] = open_workbook(path)
    return books


@pytest.fixture(scope="module")
def national(sudan, tmp_path_factory):
    return every_language(sudan, "SDN", "2026-07", tmp_path_factory.mktemp("national"))


@pytest.fixture(scope="module")
def regional(dar, tmp_path_factory):
    return every_language(
        dar, "EHAGL", "2026-Q3", tmp_path_factory.mktemp("regional"), regional=True
    )


def matrix_sheets(wb):
    """office code -> worksheet, through the roles recorded in the hidden metadata."""
    return {office: wb[name] for office, name in metadata(wb).matrix_sheets().items()}


# -- identity and sheets ------------------------------------------------------------------------

AFTER_MATRIX = (
    "new_activities",
    "initiatives",
    "good_practices",
    "overview",
    "guide",
    "actors",
    "lists",
)
"""The sheets after the matrix sheets, in tab order."""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_national_metadata_reads_back(national, sudan, lang):
    meta = metadata(national[lang])
    identity = meta.identity
    assert (
        identity.plan_id,
        identity.plan_hash,
        identity.office,
        identity.regional,
        identity.period,
        identity.lang,
    ) == (sudan.id, sudan.content_hash(), "SDN", False, "2026-07", lang)
    assert (
        identity.template_schema == layout.TEMPLATE_SCHEMA and identity.tool_version == __version__
    )
    assert identity.generated_at == GENERATED_AT
    assert meta.sheets == {
        "instructions": t(lang, "sheet.instructions"),
        matrix_role("SDN"): t(lang, "sheet.matrix"),
        **{role: t(lang, f"sheet.{role}") for role in AFTER_MATRIX},
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_order_and_visibility(national, lang):
    wb = national[lang]
    names = [t(lang, f"sheet.{r}") for r in ("instructions", "matrix", *AFTER_MATRIX)]
    assert wb.sheetnames == [*names, layout.META_SHEET]
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states[t(lang, "sheet.lists")] == "hidden"
    assert states[layout.META_SHEET] == "veryHidden"
    assert [s for s in states.values() if s == "visible"] == ["visible"] * 8
    assert wb.active.title == t(lang, "sheet.instructions")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_arabic_sheets_are_right_to_left(national, regional, lang):
    for wb in (national[lang], regional[lang]):
        for ws in wb.worksheets:
            assert bool(ws.sheet_view.rightToLeft) is (lang == "ar"), ws.title


# -- the matrix sheet -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_matrix_headers_rows_and_fingerprints(national, sudan, lang):
    wb = national[lang]
    ws = wb[t(lang, "sheet.matrix")]
    columns = layout.matrix_columns(sudan)
    assert [c.value for c in ws[layout.HEADER_ROW]] == [t(lang, c.header_key) for c in columns]
    assert ws.cell(layout.TITLE_ROW, 1).value == in_language(
        sudan.title, lang
    )  # the plan gives it in Arabic
    assert ("\u200e2026-07\u200e" if lang == "ar" else "2026-07") in ws.cell(
        layout.SUBTITLE_ROW, 1
    ).value
    assert country_name("SDN", lang) in ws.cell(layout.SUBTITLE_ROW, 1).value

    rows = data_rows(ws, lang, sudan)
    assert set(rows) == {r.ref for r in plan_rows(sudan, "SDN")}
    fingerprints = metadata(wb).fingerprints
    assert {ref for (_, ref) in fingerprints} == set(rows)
    for ref, row in rows.items():
        assert fingerprints[matrix_role("SDN"), ref] == locked_fingerprint(row), ref
    for plan_row in plan_rows(sudan, "SDN"):  # what the reader recomputes to show the plan's value
        values = layout.plan_cell_values(sudan, plan_row, lang)
        assert layout.fingerprint(values) == fingerprints[matrix_role("SDN"), plan_row.ref]


def test_matrix_values_are_typed(national, sudan):
    ws = national["en"]["Matrix"]
    row = data_rows(ws, "en", sudan)["AP1-1"]
    assert row["target"] == 12 and row["baseline"] == 0 and row["budget"] == 18000
    assert row["start"] == datetime(2026, 7, 1) and row["end"] == datetime(2027, 6, 30)
    assert row["partners"] == "IOM, UNFPA, UNODC, UNICEF, GOS-NCCT"
    assert row["action_point"] == "1. Cooperation among key partners"
    cols = header_columns(ws, "en", layout.matrix_columns(sudan))
    assert ws.cell(row["_row"], cols["start"]).number_format == "yyyy-mm-dd"


def test_rows_are_grouped_under_one_heading_per_action_point(national, sudan):
    ws = national["en"]["Matrix"]
    cols = header_columns(ws, "en", layout.matrix_columns(sudan))
    headings, current, seen = [], None, {}
    for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        ref, ap = ws.cell(r, cols["ref"]).value, ws.cell(r, cols["action_point"]).value
        if ref is None:
            headings.append(ap)
            current = ap
            assert (
                ws.cell(r, cols["ref"]).fill.fgColor.rgb
                == ws.cell(r, cols["status"]).fill.fgColor.rgb
            )
        else:
            seen[ref] = current
            assert ap == current
    assert headings == sorted(set(headings), key=action_point_number)
    assert all(action_point_number(h) for h in headings)
    assert seen["AP1-1"].startswith("1. ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plan_cells_locked_input_cells_unlocked_and_filled_differently(national, sudan, lang):
    ws = national[lang][t(lang, "sheet.matrix")]
    assert ws.protection.sheet and ws.protection.password is None
    columns = layout.matrix_columns(sudan)
    for row in data_rows(ws, lang, sudan).values():
        r = row["_row"]
        for i, column in enumerate(columns, 1):
            assert ws.cell(r, i).protection.locked is column.locked, (column.key, r)
    r = next(iter(data_rows(ws, lang, sudan).values()))["_row"]
    locked_fill = {ws.cell(r, i).fill.fgColor.rgb for i, c in enumerate(columns, 1) if c.locked}
    input_fill = {ws.cell(r, i).fill.fgColor.rgb for i, c in enumerate(columns, 1) if not c.locked}
    assert len(locked_fill) == len(input_fill) == 1 and locked_fill != input_fill


@pytest.mark.parametrize("lang", LANGUAGES)
def test_status_and_number_validations(national, sudan, lang):
    wb = national[lang]
    ws = wb[t(lang, "sheet.matrix")]
    cols = header_columns(ws, lang, layout.matrix_columns(sudan))
    rows = data_rows(ws, lang, sudan)
    last = max(r["_row"] for r in rows.values())
    letter = {key: get_column_letter(c) for key, c in cols.items()}
    by_type = {}
    for dv in ws.data_validations.dataValidation:
        by_type.setdefault(dv.type, []).append(dv)

    (status,) = [dv for dv in by_type["list"] if "!" in dv.formula1]  # the other: Yes/No
    assert (
        str(status.sqref) == f"{letter['status']}{layout.FIRST_DATA_ROW}:{letter['status']}{last}"
    )
    assert status.formula1 == f"'{t(lang, 'sheet.lists')}'!$A$1:$A$5"
    assert status.showErrorMessage and status.error == t(lang, "validation.status.message")
    lists = wb[t(lang, "sheet.lists")]
    assert [lists.cell(r, 1).value for r in range(1, 6)] == [status_label(s, lang) for s in Status]

    decimals, wholes = by_type["decimal"], by_type["whole"]  # whole numbers for counts
    numbers = decimals + wholes
    assert all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in numbers)
    assert all(dv.error == t(lang, "validation.number.message") for dv in decimals)
    assert all(dv.error == t(lang, "validation.whole.message") for dv in wholes)
    [yes_no] = [dv for dv in by_type["list"] if dv is not status]
    assert yes_no.formula1 == f'"{t(lang, "value.yes")},{t(lang, "value.no")}"'
    covered = {cell for dv in numbers for rng in dv.sqref.ranges for cell in _cells(rng)}
    yes_no_cells = {cell for rng in yes_no.sqref.ranges for cell in _cells(rng)}
    kinds = {r.ref: r.kind.value for r in plan_rows(sudan, "SDN")}
    for ref, row in rows.items():
        actual = f"{letter['actual']}{row['_row']}"
        assert actual in (yes_no_cells if kinds[ref] == "yes_no" else covered)
        assert f"{letter['funds_secured']}{row['_row']}" in covered
    prompts = {dv.prompt for dv in numbers if dv.prompt}
    assert prompts == {
        t(lang, f"validation.actual.{key}") for key in ("cumulative", "period", "level")
    }
    assert yes_no.prompt == t(lang, "validation.actual.yes_no")


def _cells(rng):
    return {
        f"{get_column_letter(c)}{r}"
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_status_colours_follow_the_localised_labels(national, lang):
    ws = national[lang][t(lang, "sheet.matrix")]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert [rule.formula for rule in rules] == [[f'"{status_label(s, lang)}"'] for s in Status]
    assert len({rule.dxf.fill.bgColor.rgb for rule in rules}) == len(Status)


def test_percent_is_a_locked_formula_guarded_against_division_by_zero(national, sudan):
    ws = national["en"]["Matrix"]
    cols = header_columns(ws, "en", layout.matrix_columns(sudan))
    actual, target = get_column_letter(cols["actual"]), get_column_letter(cols["target"])
    for row in data_rows(ws, "en", sudan).values():
        r = row["_row"]
        cell = ws.cell(r, cols["percent"])
        assert cell.protection.locked
        if row["target"]:
            assert (
                cell.value == f'=IF(OR({actual}{r}="",N({target}{r})=0),"",'
                f'IFERROR({actual}{r}/{target}{r},""))'
            )
        else:
            assert cell.value is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_frozen_panes_filter_widths_and_print_setup(national, sudan, lang):
    ws = national[lang][t(lang, "sheet.matrix")]
    columns = layout.matrix_columns(sudan)
    assert ws.freeze_panes == f"B{layout.FIRST_DATA_ROW}"
    last_row = max(r["_row"] for r in data_rows(ws, lang, sudan).values())
    assert ws.auto_filter.ref == f"A{layout.HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    widths = {n: d.width for d in ws.column_dimensions.values() for n in range(d.min, d.max + 1)}
    assert [widths[i] for i in range(1, len(columns) + 1)] == pytest.approx(
        [c.width for c in columns], abs=1
    )
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
    # protection leaves filtering and sorting free (openpyxl: False = not protected)
    assert ws.protection.autoFilter is False and ws.protection.sort is False


# -- other sheets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_instructions_say_period_due_date_statuses_and_whom_to_send_to(national, sudan, lang):
    ws = national[lang][t(lang, "sheet.instructions")]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(str(c) for c in cells)
    period = Period.parse("2026-07")
    assert datetime.combine(due_date(sudan.reporting, period), datetime.min.time()) in cells
    assert (
        in_language(sudan.reporting.send_to, lang) in text
        and in_language(sudan.title, lang) in text
    )
    assert "2026-07" in text
    for status in Status:
        assert status_label(status, lang) in cells
        assert t(lang, f"status.{status.value}.help") in cells
    assert t(lang, "instructions.warning") in cells
    assert ws.protection.sheet


@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_activities_sheet_has_validated_blank_rows(national, sudan, lang):
    wb = national[lang]
    ws = wb[t(lang, "sheet.new_activities")]
    columns = layout.NEW_ACTIVITY_COLUMNS
    assert [c.value for c in ws[layout.HEADER_ROW]] == [t(lang, c.header_key) for c in columns]
    first, last = layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + layout.NEW_ACTIVITY_ROWS - 1
    for r in (first, last):
        assert all(ws.cell(r, i).protection.locked is False for i in range(1, len(columns) + 1))
    assert ws.cell(last + 1, 1).protection.locked is not False
    assert ws.protection.sheet

    lists_name = t(lang, "sheet.lists")
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        (rng,) = dv.sqref.ranges
        assert (rng.min_row, rng.max_row) == (first, last)
        by_column[columns[rng.min_col - 1].key] = dv
    assert by_column["action_point"].formula1 == f"'{lists_name}'!$B$1:$B$10"
    assert by_column["lead"].formula1 == f"'{lists_name}'!$C$1:$C${len(sudan.actors)}"
    assert by_column["lead"].errorStyle == "information"
    assert by_column["status"].formula1 == f"'{lists_name}'!$A$1:$A$5"
    assert {by_column[k].type for k in ("target", "actual")} == {"decimal"}
    assert {by_column[k].type for k in ("start", "end")} == {"date"}
    lists = wb[lists_name]
    assert lists.cell(3, 2).value == action_point_label(3, t(lang, "framework.10-point-plan.AP3"))
    assert [lists.cell(r, 3).value for r in range(1, len(sudan.actors) + 1)] == [
        a.id for a in sudan.actors
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_actors_sheet_lists_ids_names_and_localised_types(national, sudan, lang):
    ws = national[lang][t(lang, "sheet.actors")]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=layout.FIRST_DATA_ROW)]
    assert got == [
        [a.id, in_language(a.name, lang), t(lang, f"actor_type.{a.type.value}")]
        for a in sudan.actors
    ]
    assert [c.value for c in ws[layout.HEADER_ROW]] == [
        t(lang, c.header_key) for c in layout.ACTOR_COLUMNS
    ]


# -- regional --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_regional_workbook_has_a_sheet_per_country_and_one_region_wide(regional, dar, lang):
    wb = regional[lang]
    meta = metadata(wb)
    assert (meta.identity.office, meta.identity.regional, meta.identity.period) == (
        "EHAGL",
        True,
        "2026-Q3",
    )
    sheets = matrix_sheets(wb)
    columns = layout.matrix_columns(dar)
    assert list(sheets) == [*dar.countries, "EHAGL"]
    assert sheets["EHAGL"].title == t(lang, "sheet.regional")
    assert wb.sheetnames[: len(sheets) + 1] == [
        t(lang, "sheet.instructions"),
        *(ws.title for ws in sheets.values()),
    ]
    for office, ws in sheets.items():
        assert len(ws.title) <= 31 and not set(ws.title) & set("[]:*?/\\")
        rows = data_rows(ws, lang, dar)
        expected = plan_rows(dar, None if office == "EHAGL" else office)
        assert list(rows) == [r.ref for r in sorted(expected, key=lambda r: _ap_number(dar, r))]
        for ref, row in rows.items():
            assert meta.fingerprints[matrix_role(office), ref] == locked_fingerprint(row)
        assert ws.protection.sheet and ws.freeze_panes == f"B{layout.FIRST_DATA_ROW}"
        assert ws.auto_filter.ref.startswith(f"A{layout.HEADER_ROW}:")
        # status and yes/no lists, numbers (whole numbers for counts) and, where kinds ask, dates
        assert {"list", "decimal"} <= {dv.type for dv in ws.data_validations.dataValidation}
        assert {dv.type for dv in ws.data_validations.dataValidation} <= {
            "list",
            "decimal",
            "whole",
            "date",
        }
        for row in rows.values():
            locks = [ws.cell(row["_row"], i).protection.locked for i in range(1, len(columns) + 1)]
            assert locks == [c.locked for c in columns]
    assert len(meta.fingerprints) == sum(len(plan_rows(dar, c)) for c in [*dar.countries, None])
    assert sheets["KEN"].title == country_name("KEN", lang)


def _ap_number(plan, row):
    return plan_index(plan).framework.action_point(row.objective.action_point).number


# -- prefill, plans without budgets, formula safety ------------------------------------------------


def test_prefilled_workbook_shows_the_values(sudan, tmp_path):
    prefill = sudan_prefill(
        Status.DELAYED,
        actual=6,
        funds_secured=9000,
        comments="=not a formula",
        next_steps="Meet in August",
        support_needed="Venue",
    )
    path = tmp_path / "prefilled.xlsx"
    write_workbook(sudan, "SDN", Period.parse("2026-08"), "fr", path, prefill=prefill)
    ws = open_workbook(path)["Matrice"]
    rows = data_rows(ws, "fr", sudan)
    row = rows["AP1-1"]
    assert (row["status"], row["actual"], row["funds_secured"]) == ("En retard", 6, 9000)
    assert (row["comments"], row["next_steps"], row["support_needed"]) == (
        "=not a formula",
        "Meet in August",
        "Venue",
    )
    assert ws.cell(row["_row"], 18).data_type == "s"
    assert all(rows[ref]["status"] is None for ref in rows if ref != "AP1-1")


def test_plan_text_that_looks_like_a_formula_stays_text(tmp_path):
    plan = load_plan(
        write(
            tmp_path,
            MINIMAL.replace("title: Train border officials", "title: '=1+1'").replace(
                "title: Safe entry", "title: '@SUM(A1)'"
            ),
        )
    )
    path = tmp_path / "SDN.xlsx"
    write_workbook(plan, "SDN", Period.parse("2026-Q3"), "en", path)
    ws = open_workbook(path)["Matrix"]
    row = data_rows(ws, "en", plan)["AP3-1"]
    assert (row["activity"], row["objective"]) == ("=1+1", "@SUM(A1)")
    assert ws.cell(row["_row"], 4).data_type == "s"


def test_plan_without_budgets_has_no_budget_columns(tmp_path):
    plan = load_plan(write(tmp_path, MINIMAL))
    path = tmp_path / "SDN.xlsx"
    write_workbook(plan, "SDN", Period.parse("2026-Q3"), "en", path)
    wb = open_workbook(path)
    headers = [c.value for c in wb["Matrix"][layout.HEADER_ROW]]
    assert "Budget" not in headers and "Funds secured" not in headers
    assert "budget=" not in metadata(wb).fingerprints["matrix:SDN", "AP3-1"]
    instructions = [c.value for row in wb["Instructions"].iter_rows() for c in row]
    assert t("en", "instructions.step.funds", currency="USD") not in instructions


def test_an_empty_country_sheet_still_has_headers_and_metadata(tmp_path):
    text = MINIMAL.replace("countries: [SDN]", "countries: [SDN, LBY]").replace(
        "        lead: UNHCR", "        lead: UNHCR\n        countries: [SDN]"
    )
    plan = load_plan(write(tmp_path, text))
    path = tmp_path / "LBY.xlsx"
    write_workbook(plan, "LBY", Period.parse("2026-Q3"), "en", path)
    wb = open_workbook(path)
    assert metadata(wb).fingerprints == {}
    assert wb["Matrix"].cell(layout.HEADER_ROW, 1).value == "Ref"
    assert date(2026, 10, 15) == due_date(plan.reporting, Period.parse("2026-Q3"))


def test_layout_helpers_the_writer_and_reader_share():
    label = action_point_label(10, "استراتيجية المعلومات")
    assert label == "10. استراتيجية المعلومات"
    assert [action_point_number(x) for x in (label, " 3 ", 3, "AP3", "", None)] == [
        10,
        3,
        3,
        None,
        None,
        None,
    ]


def test_prefill_of_a_regional_workbook_goes_to_the_right_sheet(dar, tmp_path):
    row = plan_rows(dar, None)[0]
    given = ProgressRow(
        country="EHAGL",
        activity_id=row.activity.id,
        indicator_index=0,
        ref=row.ref,
        sheet="Region-wide",
        row=5,
        status=Status.COMPLETED,
        actual=1,
    )
    path = tmp_path / "EHAGL.xlsx"
    write_workbook(
        dar,
        "EHAGL",
        Period.parse("2026-Q4"),
        "en",
        path,
        regional=True,
        prefill={("EHAGL", row.ref): given},
    )
    sheets = matrix_sheets(open_workbook(path))
    assert data_rows(sheets["EHAGL"], "en", dar)[row.ref]["status"] == "Completed"
    assert all(
        r["status"] is None
        for office in dar.countries
        for r in data_rows(sheets[office], "en", dar).values()
    )


def test_rows_of_long_wrapped_text_get_a_height_that_fits(tmp_path, sudan):
    """LibreOffice does not grow rows on opening, so long titles would overlap their neighbours."""
    from openpyxl import load_workbook

    from matrix.excel.writer import write_workbook
    from matrix.periods import Period

    plan = sudan
    path = tmp_path / "SDN.xlsx"
    write_workbook(plan, "SDN", Period.parse("2026-07"), "en", path)
    ws = load_workbook(path)["Matrix"]
    long_rows = [r for r in range(4, ws.max_row + 1) if len(str(ws.cell(r, 4).value or "")) > 60]
    assert long_rows and all(
        ws.row_dimensions[r].height and ws.row_dimensions[r].height >= 30 for r in long_rows
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_example_dates_are_in_the_workbook_s_own_period(tmp_path, lang):
    plan = load_plan(write(tmp_path, MINIMAL))
    path = tmp_path / "SDN.xlsx"
    write_workbook(plan, "SDN", Period.parse("2031-Q1"), lang, path, generated_at=GENERATED_AT)
    wb = open_workbook(path)
    new = wb[t(lang, "sheet.new_activities")]
    assert "2031-03-31" in new.cell(layout.SUBTITLE_ROW, 1).value
    dates = [dv for dv in new.data_validations.dataValidation if dv.type == "date"]
    assert dates and all(
        dv.error == t(lang, "validation.date.message", example="2031-03-31") for dv in dates
    )
    assert "2026" not in new.cell(layout.SUBTITLE_ROW, 1).value + "".join(dv.error for dv in dates)
