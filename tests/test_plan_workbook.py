"""The plan workbook: `matrix plan export` and `matrix plan import`, the workbook taken as the plan
by every command, and every problem in an edited workbook placed at its sheet and cell."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from checkout import DAR, EXAMPLES, ROOT, SUDAN
from matrix.errors import MatrixError
from matrix.i18n import LANGUAGES, catalogue, t
from matrix.models.plan import Activity, ActorType
from matrix.plan import check_plan_file, load_plan, read_plan
from matrix.plan.workbook import layout
from matrix.plan.workbook.cells import MAX_CELL_TEXT
from plan_strategies import plans
from plan_workbook_helpers import (
    append_row,
    cell,
    column,
    drop_downs,
    edit,
    export,
    rich_plan,
    row_of,
    setting,
    sheet,
)

PLAN_FILES = [*sorted(EXAMPLES.glob("*.yaml")), ROOT / "src" / "matrix" / "demo_data" / DAR.name]


def found(issues) -> set[tuple[str, str | None, str | None]]:
    return {(i.code, i.sheet, i.cell) for i in issues}


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_file", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_round_trips_through_the_workbook(run, tmp_path, plan_file):
    original = load_plan(plan_file)
    exported = run("plan", "export", plan_file, "-o", tmp_path / "plan.xlsx")
    assert exported.exit_code == 0, exported.output
    imported = run("plan", "import", tmp_path / "plan.xlsx", "-o", tmp_path / "plan.yaml")
    assert imported.exit_code == 0, imported.output

    again = load_plan(tmp_path / "plan.yaml")
    assert again == original and again.content_hash() == original.content_hash()
    assert load_plan(tmp_path / "plan.xlsx").content_hash() == original.content_hash()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans())
def test_generated_plans_round_trip_through_the_workbook(tmp_path, plan):
    path = export(plan, tmp_path / "plan.xlsx")
    back, issues = read_plan(path)
    assert back == plan, [i.render() for i in issues]
    assert back.content_hash() == plan.content_hash()
    assert not [i for i in issues if i.is_error]


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_workbook_in_any_language_reads_back(tmp_path, lang):
    plan = load_plan(DAR)
    path = export(plan, tmp_path / "plan.xlsx", lang)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == [
        t(lang, f"plan_workbook.sheet.{r}") for r in ("instructions", "plan", "countries")
    ]
    assert read_plan(path)[0] == plan
    # without the hidden record of sheet names, sheets and columns are still found by their names
    no_record = edit(path, lambda wb: wb.remove(wb[layout.META_SHEET]), tmp_path / "bare.xlsx")
    assert read_plan(no_record)[0] == plan


@pytest.mark.parametrize(
    "lang, typed, budget, warned",
    [
        ("en", "1,250.5", 1250.5, True),
        ("fr", "1 250,5", 1250.5, True),
        ("fr", "2,5", 2.5, False),  # plainly the language's own way of writing a number
        ("es", "1.250,5", 1250.5, True),
        ("ar", "١٢٥٠٫٥", 1250.5, True),
    ],
)
def test_a_number_typed_as_text_is_read_the_way_the_workbooks_language_writes_it(
    tmp_path, lang, typed, budget, warned
):
    path = export(load_plan(DAR), tmp_path / "plan.xlsx", lang)
    first = next(a for _, a in load_plan(DAR).activities() if a.budget is not None)

    def type_budget(wb):
        cell(wb, "activities", first.id, "budget", lang).value = typed

    back, issues = read_plan(edit(path, type_budget))
    assert next(a for _, a in back.activities() if a.id == first.id).budget == budget
    assert [(i.code, i.value) for i in issues] == [("number-from-text", typed)] * warned


def test_fields_a_coordinator_rarely_edits_round_trip(tmp_path):
    """The plan's own framework with guidance in several languages, the IATI block, actors'
    IATI fields, an action point by number, text on several lines, an activity in no country,
    an indicator with an id, a date before 1900 and numbers a spreadsheet would round."""
    plan = rich_plan()
    back, issues = read_plan(export(plan, tmp_path / "plan.xlsx"))
    assert back == plan and back.content_hash() == plan.content_hash(), [i.render() for i in issues]


# --- every command takes the workbook -------------------------------------------------------------


def test_every_command_takes_the_workbook_as_the_plan(run, tmp_path):
    assert run("plan", "export", SUDAN, "-o", "plan.xlsx").exit_code == 0
    check = run("plan", "check", "plan.xlsx")
    assert check.exit_code == 0 and "plan.xlsx: valid" in check.output

    assert run("generate", "plan.xlsx", "--period", "2026-07", "--all", "-o", "out").exit_code == 0
    assert run("generate", SUDAN, "--period", "2026-07", "--all", "-o", "from-yaml").exit_code == 0
    from workbook_helpers import metadata, open_workbook

    [matrix] = (tmp_path / "out").glob("*.xlsx")
    [same] = (tmp_path / "from-yaml").glob("*.xlsx")
    assert metadata(open_workbook(matrix)).identity.plan_hash == load_plan(SUDAN).content_hash()
    assert (
        metadata(open_workbook(matrix)).fingerprints == metadata(open_workbook(same)).fingerprints
    )
    validated = run("validate", "out", "--plan", "plan.xlsx")
    assert "metadata" not in validated.output and "plan-version-mismatch" not in validated.output


def test_a_plan_is_read_by_its_content_not_its_name(tmp_path):
    export(load_plan(SUDAN), tmp_path / "workbook.yaml")
    shutil.copy(SUDAN, tmp_path / "text.xlsx")
    assert (
        load_plan(tmp_path / "workbook.yaml")
        == load_plan(tmp_path / "text.xlsx")
        == load_plan(SUDAN)
    )


def test_a_legacy_or_hostile_file_named_as_a_plan_is_refused_in_one_line(tmp_path):
    (tmp_path / "legacy.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    export(load_plan(SUDAN), tmp_path / "plan.xlsx")
    bomb = edit(tmp_path / "plan.xlsx", lambda wb: None, tmp_path / "bomb.xlsx")
    import zipfile

    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", b"\0" * (4 * 2**20))
    for name, code in (("legacy.xlsx", "legacy-xls"), ("bomb.xlsx", "zip-bomb")):
        assert [i.code for i in check_plan_file(tmp_path / name)] == [code]


def test_a_generated_matrix_is_not_taken_for_a_plan(run, tmp_path):
    assert run("generate", SUDAN, "--period", "2026-07", "--all", "-o", "out").exit_code == 0
    [matrix] = (tmp_path / "out").glob("*.xlsx")
    [issue] = check_plan_file(matrix)
    assert issue.code == "not-a-plan-workbook" and "matrix generated from a plan" in issue.message


# --- export and import on the command line --------------------------------------------------------


def test_outputs_are_never_written_over_without_force_nor_over_the_plan(run, tmp_path):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    assert run("plan", "export", "plan.yaml", "-o", "plan.xlsx").exit_code == 0
    again = run("plan", "export", "plan.yaml", "-o", "plan.xlsx")
    assert again.exit_code == 2 and "already exists; use --force" in again.output
    assert run("plan", "export", "plan.yaml", "-o", "plan.xlsx", "--force").exit_code == 0

    kept = (tmp_path / "plan.yaml").read_bytes()
    over_plan = run("plan", "import", "plan.xlsx", "-o", "plan.xlsx", "--force")
    assert over_plan.exit_code == 2 and "plan.xlsx is the plan" in over_plan.output
    assert run("plan", "import", "plan.xlsx", "-o", "plan.yaml").exit_code == 2
    assert (tmp_path / "plan.yaml").read_bytes() == kept


def test_import_writes_readable_yaml_in_the_examples_order(run, tmp_path):
    export(load_plan(DAR), tmp_path / "plan.xlsx")
    assert run("plan", "import", "plan.xlsx", "-o", "plan.yaml").exit_code == 0
    text = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported from plan.xlsx by matrix")
    top = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    example = [
        line.split(":")[0]
        for line in DAR.read_text(encoding="utf-8").splitlines()
        if line[:1].isalpha()
    ]
    assert top == example
    assert "countries: [ETH, KEN, TZA, BDI, MWI, MOZ, ZAF]" in text
    assert "office_languages: {BDI: fr}" in text
    assert (  # the translations made the round trip through the workbook
        "- name: {en: Officials trained, fr: Agents formés}\n"
        "            unit: {en: people, fr: personnes}\n"
        "            target: 150\n"
    ) in text


def test_a_workbook_with_errors_is_imported_only_when_it_can_be_read(run, tmp_path):
    export(load_plan(SUDAN), tmp_path / "plan.xlsx")
    edit(
        tmp_path / "plan.xlsx",
        lambda wb: setattr(cell(wb, "activities", "AP1-1", "lead"), "value", "UNHRC"),
    )
    cross = run("plan", "import", "plan.xlsx", "-o", "plan.yaml")
    assert (
        cross.exit_code == 1
        and "unknown-actor" in cross.output
        and (tmp_path / "plan.yaml").exists()
    )

    edit(
        tmp_path / "plan.xlsx",
        lambda wb: setattr(cell(wb, "activities", "AP1-1", "start"), "value", "soon"),
    )
    unreadable = run("plan", "import", "plan.xlsx", "-o", "again.yaml")
    assert unreadable.exit_code == 1 and "not-a-date" in unreadable.output
    assert not (tmp_path / "again.yaml").exists()


# --- editing as a coordinator does ----------------------------------------------------------------


def test_rows_added_deleted_and_moved_are_read_as_edited(tmp_path):
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")

    def change(wb):
        append_row(wb, "actors", {"id": "NRC", "name": "Norwegian Refugee Council", "type": "NGO"})
        append_row(
            wb,
            "activities",
            {
                "id": "AP1-9",
                "objective": "O1",
                "title": "Map services",
                "lead": "NRC",
                "partners": "UNHCR; IOM",
                "countries": "SDN",
                "start": date(2026, 9, 1),
                "end": "2027-03-31",
                "budget": "1,500",
            },
        )
        append_row(
            wb, "indicators", {"activity": "AP1-9", "name": "Maps", "unit": "maps", "target": 3}
        )
        activities, indicators = sheet(wb, "activities"), sheet(wb, "indicators")
        activities.delete_rows(row_of(activities, "AP2-1"))
        while True:  # and its indicators
            try:
                indicators.delete_rows(row_of(indicators, "AP2-1"))
            except KeyError:
                break
        cell(wb, "activities", "AP3-1", "objective").value = "O1"
        setting(wb, "reporting.due_days").value = 20

    back, issues = read_plan(edit(path, change))
    assert {
        (i.code, i.cell) for i in issues if i.severity == "warning" and i.code == "number-from-text"
    }
    activity = next(a for o in back.objectives for a in o.activities if a.id == "AP1-9")
    assert (
        activity.partners == ["UNHCR", "IOM"]
        and activity.budget == 1500
        and activity.end == date(2027, 3, 31)
    )
    assert [i.name for i in activity.indicators] == ["Maps"]
    assert "AP2-1" not in {a.id for _, a in back.activities()}
    assert [a.id for a in back.objectives[0].activities] == ["AP1-1", "AP1-2", "AP3-1", "AP1-9"]
    assert back.reporting.due_days == 20 and back.actors[-1].type is ActorType.NGO


def test_every_problem_is_placed_at_its_cell_all_at_once(tmp_path):
    """Ten mistakes of different kinds, found in one run, each once, where it is, with a fix."""
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")
    where = {}

    def mistakes(wb):
        edits = {
            ("activities", "AP1-1", "lead"): "UNHRC",  # unknown actor
            ("activities", "AP1-2", "start"): "next week",  # not a date
            ("activities", "AP3-1", "regional"): "maybe",  # not yes or no
            ("activities", "AP4-1", "objective"): "O44",  # no such objective
            ("actors", "UNODC", "type"): "charity",  # not an actor type; UNODC still leads AP?-?
            ("objectives", "O5", "action_point"): "AP11",  # not an action point
            (
                "activities",
                "AP6-1",
                "countries",
            ): "SDN, UGA",  # not a plan country (KEN: what "Kenya" meant)
        }
        for (role, ident, key), value in edits.items():
            target = cell(wb, role, ident, key)
            where[key if key != "id" else "duplicate"] = f"{target.column_letter}{target.row}"
            target.value = value
        copy = append_row(wb, "activities", {"id": "AP1-1", "objective": "O1", "title": "A copy"})
        where["duplicate"] = f"A{copy}"  # the same id twice
        indicators = sheet(wb, "indicators")
        target = indicators.cell(
            row_of(indicators, "AP7-1"), column(indicators, "indicators", "target")
        )
        target.value = "a lot"  # not a number
        where["target"] = f"{target.column_letter}{target.row}"
        countries = sheet(wb, "countries")
        countries.cell(countries.max_row + 1, 1, "Kenya")  # a name, not a code
        where["country"] = f"A{countries.max_row}"

    plan, issues = read_plan(edit(path, mistakes))
    assert plan is None
    names = {
        role: t("en", f"plan_workbook.sheet.{role}")
        for role in ("activities", "actors", "objectives", "indicators", "countries")
    }
    expected = {
        ("unknown-actor", names["activities"], where["lead"]),
        ("not-a-date", names["activities"], where["start"]),
        ("duplicate-id", names["activities"], where["duplicate"]),
        ("unknown-choice", names["activities"], where["regional"]),
        ("unknown-reference", names["activities"], where["objective"]),
        ("unknown-choice", names["actors"], where["type"]),
        ("unknown-action-point", names["objectives"], where["action_point"]),
        ("country-not-in-plan", names["activities"], where["countries"]),
        ("not-a-number", names["indicators"], where["target"]),
        ("unknown-country", names["countries"], where["country"]),
    }
    errors = [i for i in issues if i.is_error]
    assert found(errors) == expected
    assert len(errors) == len(expected), [i.render() for i in errors]  # each once: no cascade
    by_code = {i.code: i for i in errors}
    assert (
        "did you mean 'UNHCR'" in by_code["unknown-actor"].message
        and by_code["unknown-actor"].fix == "UNHCR"
    )
    assert "did you mean 'O4'" in by_code["unknown-reference"].message
    assert "did you mean 'KEN'" in by_code["unknown-country"].message
    assert "first at Activities!A" in by_code["duplicate-id"].message


def test_sheets_and_columns_that_went_missing_are_named(tmp_path):
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")

    def damage(wb):
        wb.remove(sheet(wb, "indicators"))
        activities = sheet(wb, "activities")
        activities.cell(3, column(activities, "activities", "title")).value = None
        activities.cell(3, column(activities, "activities", "budget")).value = "Budget (USD)"

    plan, issues = read_plan(edit(path, damage))
    codes = {(i.code, i.sheet) for i in issues}
    assert plan is None
    assert ("plan-sheet-missing", None) in codes
    assert ("plan-sheet-column-missing", "Activities") in codes
    assert ("plan-sheet-column-absent", "Activities") in codes
    unknown = next(i for i in issues if i.code == "plan-sheet-column-unknown")
    assert "did you mean 'Budget'" in unknown.message


def test_a_workbook_from_a_newer_matrix_or_without_values_is_refused_plainly(tmp_path):
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")
    newer = edit(
        path,
        lambda wb: setattr(wb[layout.META_SHEET]["B1"], "value", "99"),
        tmp_path / "newer.xlsx",
    )
    assert [i.code for i in check_plan_file(newer)] == ["plan-workbook-newer"]

    def no_values(wb):
        sheet(wb, "plan").cell(3, 3).value = None

    plan, issues = read_plan(edit(path, no_values, tmp_path / "no-values.xlsx"))
    assert plan is None and ("plan-sheet-column-missing", "Plan", "A3") in found(issues)
    # without the Key column, settings are found by their names, in any language
    no_keys = edit(path, lambda wb: sheet(wb, "plan").delete_cols(1), tmp_path / "no-keys.xlsx")
    assert read_plan(no_keys)[0] == load_plan(SUDAN)


def test_characters_a_workbook_cannot_hold_are_removed_with_a_warning(tmp_path):
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        b"Joint Strategy to Address", b"Joint Strategy&#x7; to Address", 1
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    plan, issues = read_plan(path)
    assert plan.title == load_plan(SUDAN).title
    assert ("control-characters", "Plan", "C5") in found(issues)


def test_a_setting_typed_wrong_or_unknown_is_placed_on_the_plan_sheet(tmp_path):
    path = export(load_plan(SUDAN), tmp_path / "plan.xlsx")

    def change(wb):
        setting(wb, "reporting.frequency").value = "fortnightly"
        setting(wb, "scope").value = " NACIONAL"  # any case and language: Spanish for national
        ws = sheet(wb, "plan")
        ws.cell(ws.max_row + 1, 1, "reporting.send_too").value = "reporting.send_too"
        ws.cell(ws.max_row, 3, "somebody")

    plan, issues = read_plan(edit(path, change))
    assert plan is None
    frequency = next(i for i in issues if i.code == "unknown-choice")
    assert (
        frequency.sheet == "Plan"
        and "monthly, quarterly, half-yearly, or annual" in frequency.message
    )
    unknown = next(i for i in issues if i.code == "plan-setting-unknown")
    assert "did you mean 'reporting.send_to'" in unknown.message
    assert not [i for i in issues if "scope" in i.message]


def test_a_value_no_cell_can_hold_is_refused_before_anything_is_written(run, tmp_path):
    plan = load_plan(SUDAN)
    long_text = plan.model_copy(
        update={
            "objectives": [
                plan.objectives[0].model_copy(
                    update={
                        "activities": [
                            plan.objectives[0]
                            .activities[0]
                            .model_copy(update={"description": "x" * (MAX_CELL_TEXT + 1)})
                        ],
                    }
                )
            ]
        }
    )
    (tmp_path / "long.yaml").write_text(
        yaml.safe_dump(long_text.model_dump(mode="json")), encoding="utf-8"
    )
    result = run("plan", "export", "long.yaml", "-o", "long.xlsx")
    assert result.exit_code == 2 and "more than a workbook cell holds" in result.output
    assert not (tmp_path / "long.xlsx").exists()


def test_a_plan_too_large_for_a_sheet_is_refused_before_anything_is_written(tmp_path):
    plan = load_plan(SUDAN)
    many = [Activity(id=f"A{i}", title="Activity", lead="UNHCR") for i in range(20_000)]
    plan = plan.model_copy(
        update={"objectives": [plan.objectives[0].model_copy(update={"activities": many})]}
    )
    with pytest.raises(
        MatrixError,
        match="20,000 rows for the sheet Activities, more than a plan workbook's sheet holds",
    ):
        export(plan, tmp_path / "plan.xlsx")


# --- layout ---------------------------------------------------------------------------------------


EXPECTED_DROP_DOWNS = {
    ("Plan", "scope"): "Lists",
    ("Plan", "framework"): "Lists",
    ("Plan", "currency"): "Lists",
    ("Plan", "reporting.frequency"): "Lists",
    ("Plan", "overview.required"): "Lists",
    ("Plan", "region.reports"): "Lists",
    ("Plan", "paper"): "Lists",
    ("Countries", "Country code"): "Lists",
    ("Actors", "Type"): "Lists",
    ("Objectives", "Action point"): "Lists",
    ("Activities", "Objective"): "Objectives",
    ("Activities", "Lead actor"): "Actors",
    ("Activities", "Region-wide"): "Lists",
    ("Activities", "Currency"): "Lists",
    ("Indicators", "Activity"): "Activities",
    ("Indicators", "Total to date"): "Lists",
    ("Indicators", "Kind of value"): "Lists",
    ("Indicators", "Over periods"): "Lists",
    ("Indicators", "Regional figure"): "Lists",
}
"""Scopes, frequencies, actor types, yes/no, countries, currencies, frameworks and action points
from the hidden Lists sheet; leads, objectives and activities from the ids on their own sheet."""


def test_drop_downs_offer_the_choices(tmp_path):
    path = export(load_plan(DAR), tmp_path / "plan.xlsx")
    assert drop_downs(path) == EXPECTED_DROP_DOWNS
    own = export(rich_plan(), tmp_path / "own.xlsx")
    assert drop_downs(own)[("Objectives", "Action point")] == "Action points"
    lists = openpyxl.load_workbook(path)["Lists"]
    assert lists.sheet_state == "hidden"
    assert {"UN agency", "Regional body", "quarterly", "yes", "no", "SDN", "USD", "LEG"} <= {
        c.value for row in lists.iter_rows() for c in row
    }


def test_every_field_of_the_plan_has_a_place_and_labels_in_every_language():
    from matrix.plan.workbook.cells import choice_label
    from matrix.plan.workbook.layout import SETTINGS, TABLES

    keys = {f"plan_workbook.setting.{s.key}" for s in SETTINGS}
    keys |= {f"plan_workbook.help.plan.{s.key}" for s in SETTINGS}
    keys |= {
        f"plan_workbook.column.{table.role}.{c.key}" for table in TABLES for c in table.columns
    }
    keys |= {f"plan_workbook.help.{table.role}.{c.key}" for table in TABLES for c in table.columns}
    keys |= {f"plan_workbook.sheet.{role}" for role in layout.SHEETS}
    for lang in LANGUAGES:
        assert keys <= set(catalogue(lang)), keys - set(catalogue(lang))
        for table in TABLES:
            for c in table.columns:
                for choice in c.choices or ():
                    assert choice_label(choice, lang) != choice.value or lang == "en"


def test_headers_and_sheet_names_cannot_be_mistaken_in_any_language():
    from matrix.plan.workbook.cells import normalise
    from matrix.plan.workbook.layout import TABLES

    for table in TABLES:
        owner: dict[str, str] = {}
        for lang in LANGUAGES:
            for c in table.columns:
                text = normalise(c.label(table.role, lang))
                assert owner.setdefault(text, c.key) == c.key, (table.role, lang, text)
    owner = {}
    for lang in LANGUAGES:
        for plan_setting in layout.SETTINGS:  # found by name when the Key column is gone
            assert (
                owner.setdefault(normalise(plan_setting.label(lang)), plan_setting.key)
                == plan_setting.key
            )
    for lang in LANGUAGES:
        names = [t(lang, f"plan_workbook.sheet.{role}") for role in layout.SHEETS]
        assert len({n.casefold() for n in names}) == len(names)
        assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
