"""The Overview, Initiatives and Good practices sheets read back: what an office writes, and every
way it can be wrong (a required heading left empty, text over its limit, an initiative without a
title or status, a good practice without actions), each named by sheet and cell."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

from checkout import DAR
from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.excel.metadata import metadata_rows, parse_metadata, signed_content
from matrix.generate import generate
from matrix.models.plan import Status
from matrix.models.returns import GoodPractice, Initiative, Link, OverviewText
from matrix.overview import overview_headings
from matrix.signing import ensure_key, find_key, sign
from matrix.validation import validate_file
from narrative_helpers import LEGAL_AID, overview, type_in
from validation_helpers import fill_good, make_matrix, sheet_by_role


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """Kenya's matrix for 2026-Q3 with every row filled in correctly, nothing else."""
    plan, path = make_matrix(tmp_path_factory.mktemp("ken"), DAR, country="KEN")
    return plan, fill_good(path, plan)


@pytest.fixture
def ken(filled, tmp_path):
    plan, path = filled
    return plan, shutil.copy(path, tmp_path / path.name)


def findings(plan, path, **kwargs) -> set[tuple[str, str | None, str | None]]:
    return {(i.code, i.sheet, i.cell) for i in validate_file(plan, path, **kwargs).issues}


def required_plan(tmp_path, block: str):
    """The Dar es Salaam plan with an `overview:` block of its own."""
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(DAR.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    return plan_file


def test_what_the_office_writes_reads_back(ken):
    plan, path = ken
    overview(
        path, plan, {"main_trends": "Arrivals steady.", "challenges_and_gaps": "Legal aid is thin."}
    )
    type_in(
        path,
        SheetRole.INITIATIVES,
        {
            0: LEGAL_AID
            | {
                "actors": "Legal aid NGOs, law clinics",
                "end": date(2027, 1, 31),
                "status": "En bonne voie",
                "comments": "Funded by a foundation",
            },
            2: {
                "initiative": "Working group, Nairobi",
                "action_point": "COO",
                "status": "on track",
            },
        },
    )
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": "OPS-1: Profiling and referral desks",
                "background": "Why it was needed.",
                "practice_actors": "Department of Refugee Services\n- UNHCR",
                "actions": "1. Opened a desk\n• Trained staff",
                "review": "It worked.",
                "further_information": (
                    "Terms of reference: https://www.unhcr.org/tor.pdf\nMinutes on file"
                ),
            },
            1: {
                "subject": "I1",
                "practice": "Legal aid that reaches police cells",
                "background": "B.",
                "practice_actors": "NGOs",
                "actions": "Visited cells",
                "review": "R.",
            },
        },
    )
    result = validate_file(plan, path)
    assert result.issues == [] and result.accepted
    n = result.narratives
    assert n.overview == [
        OverviewText(heading="main_trends", text="Arrivals steady."),
        OverviewText(heading="challenges_and_gaps", text="Legal aid is thin."),
    ]
    sheet = sheet_name(path, SheetRole.INITIATIVES)
    assert n.initiatives == [
        Initiative(
            sheet=sheet,
            row=4,
            ref="I1",
            title="Legal aid at police stations",
            action_point="OPS",
            actors="Legal aid NGOs, law clinics",
            start=date(2025, 2, 1),
            end=date(2027, 1, 31),
            status=Status.ON_TRACK,
            comments="Funded by a foundation",
        ),
        Initiative(
            sheet=sheet,
            row=6,
            ref="I3",
            title="Working group, Nairobi",
            action_point="COO",
            status=Status.ON_TRACK,
        ),
    ]
    first, second = n.good_practices
    ops1 = next(a for _, a in plan.activities() if a.id == "OPS-1")
    assert first == GoodPractice(
        sheet=sheet_name(path, SheetRole.GOOD_PRACTICES),
        row=4,
        activity_id="OPS-1",
        title=ops1.title,
        background="Why it was needed.",
        actors=["Department of Refugee Services", "UNHCR"],
        actions=["Opened a desk", "Trained staff"],
        review="It worked.",
        further_information=[
            Link(text="Terms of reference", url="https://www.unhcr.org/tor.pdf"),
            Link(text="Minutes on file"),
        ],
    )
    assert (second.initiative_ref, second.activity_id, second.title) == (
        "I1",
        None,
        "Legal aid that reaches police cells",
    )


def sheet_name(path, role) -> str:
    return sheet_by_role(openpyxl.load_workbook(path), role).title


def summary_cell(path, plan, heading: str) -> str:
    ws = sheet_by_role(openpyxl.load_workbook(path), SheetRole.OVERVIEW)
    label = next(h.label("en") for h in overview_headings(plan) if h.id == heading)
    row = next(
        r for r in range(layout.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value == label
    )
    return f"B{row}"


def test_a_required_heading_left_empty_is_an_error_at_its_cell(tmp_path):
    plan_file = required_plan(
        tmp_path, "overview:\n  headings: [main_trends, {id: key_developments, required: true}]\n"
    )
    plan, path = make_matrix(tmp_path / "out", plan_file, country="KEN")
    fill_good(path, plan)
    overview(path, plan, {"main_trends": "Arrivals steady."})
    result = validate_file(plan, path)
    assert not result.accepted
    [issue] = [i for i in result.issues if i.code == "overview-heading-missing"]
    assert (issue.sheet, issue.cell) == ("Overview", summary_cell(path, plan, "key_developments"))
    assert "'Key developments'" in issue.message
    overview(path, plan, {"key_developments": "The first desk opened."})
    assert validate_file(plan, path).accepted


def test_when_every_heading_is_required_each_empty_one_is_named(tmp_path):
    plan, path = make_matrix(
        tmp_path / "out", required_plan(tmp_path, "overview: {required: true}\n"), country="KEN"
    )
    fill_good(path, plan)
    overview(path, plan, {"main_trends": "Arrivals steady."})
    missing = [
        i.cell for i in validate_file(plan, path).issues if i.code == "overview-heading-missing"
    ]
    assert missing == [
        summary_cell(path, plan, h)
        for h in ("key_developments", "challenges_and_gaps", "priorities_next_period")
    ]


def test_a_required_overview_sheet_deleted_is_missing(tmp_path):
    plan, path = make_matrix(
        tmp_path / "out", required_plan(tmp_path, "overview: {required: true}\n"), country="KEN"
    )
    fill_good(path, plan)
    wb = openpyxl.load_workbook(path)
    del wb["Overview"]
    wb.save(path)
    assert ("sheet-missing", None, None) in findings(plan, path)


def test_an_optional_overview_sheet_may_be_deleted(ken):
    plan, path = ken
    wb = openpyxl.load_workbook(path)
    del wb["Overview"]
    wb.save(path)
    result = validate_file(plan, path)
    assert result.accepted and result.narratives.overview == []


@pytest.mark.parametrize(("length", "accepted"), [(1000, True), (1001, False)])
def test_overview_text_over_its_limit_is_an_error(ken, length, accepted):
    plan, path = ken
    overview(path, plan, {"challenges_and_gaps": "x" * length})
    result = validate_file(plan, path)
    assert result.accepted is accepted
    too_long = [i for i in result.issues if i.code == "text-too-long"]
    if not accepted:
        [issue] = too_long
        assert (issue.sheet, issue.cell) == (
            "Overview",
            summary_cell(path, plan, "challenges_and_gaps"),
        )
        assert "1,001 characters long, more than the 1,000 allowed" in issue.message


def test_a_heading_of_the_plan_with_its_own_limit(tmp_path):
    block = (
        "overview:\n  max_length: 200\n  headings:\n    - {id: main_trends, max_length: 60}\n"
        "    - id: risks\n      title: {en: Protection risks, fr: Risques de protection}\n"
    )
    plan, path = make_matrix(
        tmp_path / "out", required_plan(tmp_path, block), country="KEN", lang="fr"
    )
    fill_good(path, plan, lang="fr")
    overview(path, plan, {"main_trends": "y" * 61, "risks": "z" * 200}, lang="fr")
    result = validate_file(plan, path)
    assert [(i.code, i.cell) for i in result.issues] == [
        ("text-too-long", f"B{layout.FIRST_DATA_ROW}")
    ]
    assert [o.heading for o in result.narratives.overview] == ["main_trends", "risks"]


def test_text_under_a_changed_heading_is_not_read(ken):
    plan, path = ken
    wb = openpyxl.load_workbook(path)
    ws = sheet_by_role(wb, SheetRole.OVERVIEW)
    ws.cell(layout.FIRST_DATA_ROW + 1, 1).value = "What we did"
    ws.cell(layout.FIRST_DATA_ROW + 1, 2).value = "Opened a desk."
    wb.save(path)
    result = validate_file(plan, path)
    [issue] = result.issues
    assert (issue.code, issue.cell) == ("overview-text-unplaced", f"A{layout.FIRST_DATA_ROW + 1}")
    assert "'What we did'" in issue.message and "(Key developments)" in issue.message
    assert result.narratives.overview == []


def test_a_good_practice_without_actions(ken):
    plan, path = ken
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": "CAP-1",
                "background": "Officials did not know the law.",
                "practice_actors": "UNHCR",
                "review": "Officials now refer asylum-seekers.",
            },
        },
    )
    result = validate_file(plan, path)
    [issue] = result.issues
    assert (issue.code, issue.sheet, issue.cell) == (
        "good-practice-part-missing",
        "Good practices",
        "E4",
    )
    assert "has nothing in 'C. Actions'" in issue.message
    assert not result.accepted


def test_a_good_practice_names_each_missing_part(ken):
    plan, path = ken
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {3: {"subject": "CAP-1", "further_information": "https://www.unhcr.org"}},
    )
    cells = sorted(
        i.cell for i in validate_file(plan, path).issues if i.code == "good-practice-part-missing"
    )
    assert cells == ["C7", "D7", "E7", "F7"]


@pytest.mark.parametrize(
    ("subject", "code", "words"),
    [
        ("", "good-practice-subject-missing", "names no activity or initiative"),
        (
            "XX-9",
            "good-practice-subject-unknown",
            "'XX-9' is neither an activity of this matrix nor an initiative",
        ),
        (
            "OPS-2",
            "good-practice-subject-unknown",
            "'OPS-2' is neither",
        ),  # Tanzania's and others', not Kenya's
        (
            "I5",
            "good-practice-initiative-missing",
            "initiative I5, which the sheet 'Initiatives' does not list",
        ),
    ],
)
def test_a_good_practice_must_describe_an_activity_or_initiative_of_the_matrix(
    ken, subject, code, words
):
    plan, path = ken
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": subject,
                "practice": "Desks",
                "background": "B",
                "practice_actors": "A",
                "actions": "C",
                "review": "D",
            }
        },
    )
    [issue] = validate_file(plan, path).issues
    assert (issue.code, issue.cell) == (code, "A4")
    assert words in issue.message


def test_only_web_addresses_become_links(ken):
    plan, path = ken
    type_in(
        path,
        SheetRole.GOOD_PRACTICES,
        {
            0: {
                "subject": "CAP-1",
                "background": "B",
                "practice_actors": "A",
                "actions": "C",
                "review": "D",
                "further_information": (
                    "javascript:alert(1)\nReport (http://example.org/r.pdf)\n"
                    "ftp://files.example.org/x"
                ),
            }
        },
    )
    [practice] = validate_file(plan, path).narratives.good_practices
    assert practice.further_information == [
        Link(text="javascript:alert(1)"),
        Link(text="Report", url="http://example.org/r.pdf"),
        Link(text="ftp://files.example.org/x"),
    ]


@pytest.mark.parametrize(
    ("cells", "code", "cell"),
    [
        (
            {"actors": "Red Cross", "status": "On track", "action_point": "OPS"},
            "initiative-title-missing",
            "B4",
        ),
        ({"initiative": "Shelter", "action_point": "OPS"}, "initiative-status-missing", "G4"),
        ({"initiative": "Shelter", "status": "On track"}, "initiative-action-point-missing", "C4"),
        (
            {"initiative": "Shelter", "status": "On track", "action_point": "9. Resettlement"},
            "initiative-action-point-unknown",
            "C4",
        ),
        (
            {"initiative": "Shelter", "status": "On track", "action_point": "OPS", "ref": None},
            "initiative-ref-missing",
            "A4",
        ),
        (
            {"initiative": "Shelter", "status": "Somewhat", "action_point": "OPS"},
            "status-unknown",
            "G4",
        ),
        (
            {"initiative": "Shelter", "status": "On track", "action_point": "OPS", "start": "soon"},
            "not-a-date",
            "E4",
        ),
        (
            {"initiative": "S" * 301, "status": "On track", "action_point": "OPS"},
            "text-too-long",
            "B4",
        ),
    ],
)
def test_an_incomplete_initiative_is_an_error_at_its_cell(ken, cells, code, cell):
    plan, path = ken
    type_in(path, SheetRole.INITIATIVES, {0: cells})
    result = validate_file(plan, path)
    assert [(i.code, i.cell) for i in result.issues] == [(code, cell)]
    assert not result.accepted


def test_an_initiative_ending_before_it_starts_is_a_warning(ken):
    plan, path = ken
    type_in(
        path,
        SheetRole.INITIATIVES,
        {
            1: {
                "initiative": "Shelter",
                "status": "On track",
                "action_point": "OPS",
                "start": date(2026, 5, 1),
                "end": date(2026, 1, 1),
            }
        },
    )
    result = validate_file(plan, path)
    assert [(i.code, i.severity.value, i.cell) for i in result.issues] == [
        ("initiative-dates", "warning", "F5")
    ]
    assert result.accepted


def test_a_copied_initiative_number_is_an_error(ken):
    plan, path = ken
    type_in(
        path,
        SheetRole.INITIATIVES,
        {
            0: {"initiative": "Shelter", "status": "On track", "action_point": "OPS"},
            1: {"ref": "I1", "initiative": "Clinic", "status": "On track", "action_point": "OPS"},
        },
    )
    result = validate_file(plan, path)
    [issue] = result.issues
    assert (issue.code, issue.cell) == (
        "initiative-ref-duplicate",
        "A5",
    ) and "also in row 4" in issue.message
    assert [i.title for i in result.narratives.initiatives] == ["Shelter"]


def test_a_matrix_made_before_these_sheets_existed_still_validates(tmp_path, monkeypatch, dar):
    """An older signed matrix: its hidden record names no Overview, Initiatives or Good practices
    sheet (rebuilt here by removing them and signing the record with the project key)."""
    monkeypatch.chdir(tmp_path)
    key, _ = ensure_key(find_key(tmp_path / "plan.yaml"))
    plan = dar
    path = make_older(tmp_path, plan, key.secret)
    result = validate_file(plan, path, key=key)
    assert result.accepted, [i.render() for i in result.issues]
    assert result.issues == [] and len(result.rows) > 5
    assert result.narratives.empty


def make_older(tmp_path, plan, secret: bytes):
    [path] = generate(
        plan, "2026-Q3", countries=["KEN"], regional=False, lang="en", out_dir=tmp_path / "old"
    )
    fill_good(path, plan)
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.META_SHEET]
    meta = parse_metadata([list(r) for r in ws.iter_rows(values_only=True)])
    for role in layout.NARRATIVE_SHEETS:
        del wb[meta.sheets.pop(role.value)]
    del wb[meta.sheets.pop(SheetRole.GUIDE.value)]
    meta.signature = sign(secret, signed_content(meta))
    ws.delete_rows(1, ws.max_row)
    for row in metadata_rows(meta):
        ws.append(row)
    wb.save(path)
    return path


def test_an_unprotected_narrative_sheet_is_read_with_a_warning(ken):
    plan, path = ken
    wb = openpyxl.load_workbook(path)
    sheet_by_role(wb, SheetRole.INITIATIVES).protection.sheet = False
    wb.save(path)
    result = validate_file(plan, path)
    assert [(i.code, i.sheet) for i in result.issues] == [("sheet-unprotected", "Initiatives")]
    assert result.accepted
