"""A correctly filled matrix validates clean; a workbook of another plan, another plan version, or
without its metadata is an error that says what it is."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checkout import DAR, SUDAN, require_tool
from libreoffice_helpers import calc_convert
from matrix.excel.layout import META_SHEET
from matrix.excel.metadata import IDENTITY_KEYS
from matrix.generate import generate
from matrix.i18n import LANGUAGES
from matrix.models.issues import has_errors
from matrix.models.plan import Status
from matrix.periods import Period, last_period, periods_between
from matrix.plan import load_plan, plan_rows
from matrix.signing import ProjectKey, ensure_key
from matrix.store import Store
from matrix.validation import validate_file
from matrix.validation.identity import check_identity
from store_helpers import query
from validation_helpers import edit_metadata, fill_good, issues_of, make_matrix, sheet_of


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


def test_workbook_of_a_plan_version_not_kept(tmp_path):
    plan, path = make_matrix(tmp_path, SUDAN)
    fill_good(path, plan)
    changed = plan.model_copy(update={"title": plan.title + " (revised)"})
    result = validate_file(changed, path)
    assert [i.code for i in result.issues] == ["plan-version-unknown"]
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
    broken = rewrite(
        path,
        tmp_path / "broken.xlsx",
        replace={"xl/worksheets/sheet2.xml": (b"<sheetData>", b"<sheetData><row r=")},
    )
    result = validate_file(plan, broken)
    assert [i.code for i in result.issues] == ["workbook-unreadable"]
    assert not result.accepted


def test_return_saved_by_libreoffice_is_clean(tmp_path):
    require_tool("soffice")  # before building anything
    plan, path = make_matrix(tmp_path / "sent", SUDAN, lang="fr")
    fill_good(path, plan, lang="fr")
    calc_convert([path], tmp_path / "saved", tmp_path / "profile")
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


# --- every identity field checked against the plan (issue 13, point 1) ----------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """`copy(PLAN)` puts the plan in the test's folder as plan.yaml, where `run` works; the project
    key, once made, lives beside it as in a real project."""
    monkeypatch.delenv("MATRIX_KEY_FILE")

    def copy(plan_file):
        shutil.copy(plan_file, tmp_path / "plan.yaml")
        return load_plan(tmp_path / "plan.yaml")

    return copy


FORGED = [
    (DAR, "period", "2026-Q9", "period-not-in-plan", "not a quarterly period like 2026-Q3"),
    (
        DAR,
        "period",
        "2031-Q4",
        "period-not-in-plan",
        "after the plan's last reporting period 2027-Q4",
    ),
    (DAR, "period", "2026-09", "period-not-in-plan", "not a quarterly period"),
    (DAR, "period", "2026-q3", "period-not-in-plan", "not a quarterly period"),
    (
        DAR,
        "period",
        "2025-Q4",
        "period-not-in-plan",
        "before the plan's first reporting period 2026-Q3",
    ),
    (SUDAN, "period", "2024-H1", "period-not-in-plan", "not a monthly period like 2026-09"),
    (DAR, "period", "../../x", "period-not-in-plan", "not a quarterly period"),
    (DAR, "office", "../../x", "office-not-in-plan", "gives office '../../x'"),
    (
        DAR,
        "office",
        "KEN",
        "metadata-inconsistent",
        "for office 'KEN', but its matrix sheet is for 'ETH'",
    ),
    (
        DAR,
        "office",
        "EHAGL",
        "metadata-inconsistent",
        "is the region, but it is not marked regional",
    ),
    (DAR, "regional", "true", "metadata-inconsistent", "marked regional, but its office 'ETH'"),
    (DAR, "lang", "../../xx", "language-unknown", "gives language '../../xx'"),
]


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize(
    "plan_file, key, value, code, reason", FORGED, ids=[f"{f[1]}={f[2]}" for f in FORGED]
)
def test_an_edited_identity_field_is_an_error_that_names_it(
    run, tmp_path, project, signed, plan_file, key, value, code, reason
):
    plan = project(plan_file)
    office = "ETH" if plan_file == DAR else "SDN"
    if signed:  # through `matrix generate`, which makes the project key
        assert (
            run(
                "generate",
                "plan.yaml",
                "--period",
                plan.reporting.first_period,
                "--country",
                office,
                "-o",
                "sent",
            ).exit_code
            == 0
        )
        [path] = (tmp_path / "sent").glob("*.xlsx")
    else:  # a matrix of a project without a key: only the plan can tell
        _, path = make_matrix(tmp_path / "sent", tmp_path / "plan.yaml", country=office)
    fill_good(path, plan)
    edit_metadata(path, {key: value})

    result = run("validate", path)
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if "  error  " in line]
    assert any(f"  {code}  " in line and reason in line for line in errors), result.stdout
    assert ("metadata-signature-mismatch" in result.stdout) is signed
    assert "this is a bug" not in result.output and "Traceback" not in result.output

    result = run("collect", path)
    assert result.exit_code == 1 and "rejected" in result.stdout
    with Store.open(tmp_path / "matrix.sqlite", create=False) as store:
        recorded = query(store, "SELECT outcome, office, period FROM submissions")
        assert query(store, "SELECT count(*) FROM progress") == [(0,)]
    assert recorded == [("rejected", None, None)]  # nothing forged is stored, not even as a label


def test_a_regional_workbook_must_keep_a_sheet_for_every_country(tmp_path):
    plan, path = make_matrix(tmp_path, DAR, regional=True)
    wb = openpyxl.load_workbook(path)
    for row in wb[META_SHEET].iter_rows():
        if row[0].value == "sheet" and row[1].value == "matrix:KEN":
            row[1].value = "notes"
    wb.save(path)
    [issue] = validate_file(plan, path).issues
    assert issue.code == "metadata-inconsistent" and "none for KEN" in issue.message


def test_matrices_are_only_generated_for_periods_validation_accepts(run):
    result = run("generate", DAR, "--period", "2031-Q4", "--all")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: '2031-Q4' is after the plan's last reporting period 2027-Q4 (the period "
        "of its last activity end, or the coming one)"
    )


@pytest.fixture(scope="module")
def hidden_record(tmp_path_factory, dar):
    """The plan, the project key and the hidden rows of a signed KEN matrix."""
    folder = tmp_path_factory.mktemp("signed")
    plan = dar
    key, _ = ensure_key(ProjectKey(folder / ".matrix-key"))
    [path] = generate(
        plan, "2026-Q3", countries=["KEN"], regional=False, lang="en", out_dir=folder, key=key
    )
    rows = [
        list(row) for row in openpyxl.load_workbook(path)[META_SHEET].iter_rows(values_only=True)
    ]
    return plan, key, rows


@settings(max_examples=400, deadline=None)
@example(field="template_schema", text="inf")  # int(float("inf")) overflows
@example(field="template_schema", text="nan")
@given(
    field=st.sampled_from(IDENTITY_KEYS),
    text=st.one_of(
        st.text(max_size=24),
        st.sampled_from(
            [
                "2026-Q4",
                "2027-Q4",
                "2028-Q1",
                "ETH",
                "EHAGL",
                "fr",
                "true",
                "FALSE",
                "2026-07-01T00:00:00",
            ]
        ),
    ),
)
def test_any_edit_of_a_hidden_field_is_refused_or_stays_within_the_plan(hidden_record, field, text):
    """Signed, an edit that passes changes nothing; without a key, it can only name another of
    the plan's periods or languages, never another office or anything outside the plan."""
    plan, key, rows = hidden_record
    edited = [[cells[0], text, *cells[2:]] if cells[0] == field else cells for cells in rows]
    original, _ = check_identity(plan, SimpleNamespace(metadata_rows=rows), "x.xlsx", key)
    for project_key in (key, None):
        meta, issues = check_identity(
            plan, SimpleNamespace(metadata_rows=edited), "x.xlsx", project_key
        )
        if has_errors(issues):
            assert meta is None or (meta.identity.plan_id, meta.identity.plan_hash) != (
                plan.id,
                plan.content_hash(),
            )
            continue
        identity = meta.identity
        if project_key is not None:
            assert identity == original.identity, (field, text)
        else:
            assert (identity.office, identity.regional, identity.plan_hash) == (
                "KEN",
                False,
                plan.content_hash(),
            )
            periods = periods_between(Period.parse(plan.reporting.first_period), last_period(plan))
            assert identity.lang in LANGUAGES and identity.period in {p.id for p in periods}
