"""`matrix.Project`: the cycle scripted from Python the way a coordinator's script or notebook
would, the same answers as the command line gives, and the mistakes such a script makes."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import UTC, datetime

import pytest

import matrix
from checkout import ROOT, SUDAN
from matrix.report.context import ReportContext
from matrix.status import ReturnState
from matrix.store import Outcome
from validation_helpers import fill_good

PERIOD = "2026-07"
RECEIVED = datetime(2026, 8, 5, 9, 0, tzinfo=UTC)
"""Before July's due date (10 August): on time."""
GENERATED_AT = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A project folder as `matrix init` leaves one, holding the Sudan example as plan.yaml; the
    key and the store go where a project keeps them, beside the plan."""
    monkeypatch.delenv("MATRIX_KEY_FILE")
    monkeypatch.delenv("MATRIX_STORE", raising=False)
    project = tmp_path / "sudan-2026"
    project.mkdir()
    shutil.copy(SUDAN, project / "plan.yaml")
    return project


@pytest.fixture
def collected(folder, tmp_path):
    """The project after one return for July was generated, filled in and collected."""
    project = matrix.Project.open(folder)
    with pytest.warns(matrix.MatrixWarning, match="created the project key"):
        [blank] = project.generate(PERIOD, out=tmp_path / "matrices")
    returned = tmp_path / "returns" / blank.name
    returned.parent.mkdir()
    shutil.copy(blank, returned)
    fill_good(returned, project.plan)
    [outcome] = project.collect([tmp_path / "returns"], period=PERIOD, received_at=RECEIVED)
    assert outcome.status is Outcome.ACCEPTED, outcome.reason
    return project


def test_the_whole_cycle_scripted_from_python(folder, tmp_path):
    project = matrix.Project.open(folder)
    assert (project.plan.id, project.plan_file, project.store.path) == (
        "sdn-joint-strategy",
        folder / "plan.yaml",
        folder / "matrix.sqlite",
    )

    with pytest.warns(matrix.MatrixWarning, match="created the project key"):
        [blank] = project.generate(PERIOD, out=tmp_path / "matrices")
    assert (
        blank.name == f"SDN_{PERIOD}_sdn-joint-strategy.xlsx" and (folder / ".matrix-key").is_file()
    )
    fill_good(blank, project.plan)

    [result] = project.validate([tmp_path / "matrices"])
    codes = {issue.code for issue in result.issues}
    assert result.accepted and result.identity.office == "SDN"
    assert not codes & {
        "workbook-unsigned",
        "signature-unverified",
    }  # checked with the project's key

    [outcome] = project.collect([blank], period=PERIOD, received_at=RECEIVED)
    assert outcome.status is Outcome.ACCEPTED and (folder / "matrix.sqlite").is_file()

    status = project.status(PERIOD)
    assert status.complete and [(o.office, o.state) for o in status.offices] == [
        ("SDN", ReturnState.RETURNED)
    ]

    refs = [row.ref for row in matrix.plan_index(project.plan).rows("SDN")]
    assert [entry.ref for entry in project.history("SDN")] == refs

    assert project.export(tmp_path / "progress.csv", "csv", period=PERIOD) == len(refs)
    with (tmp_path / "progress.csv").open(encoding="utf-8-sig") as exported:
        assert [row["ref"] for row in csv.DictReader(exported)] == refs

    context = project.report(PERIOD, tmp_path / "report.html", generated_at=GENERATED_AT)
    assert isinstance(context, ReportContext)
    assert (context.period, context.plan_title) == (PERIOD, project.plan.title)
    assert (context.headline.returns.expected, context.headline.returns.received) == (1, 1)
    assert context.plan_title in (tmp_path / "report.html").read_text(encoding="utf-8")

    practices = project.compendium(tmp_path / "compendium.html", generated_at=GENERATED_AT)
    assert practices.periods == [PERIOD] and (tmp_path / "compendium.html").is_file()


def test_a_report_asked_for_without_a_file_writes_nothing_and_has_the_same_figures(
    collected, tmp_path
):
    written = collected.report(PERIOD, tmp_path / "report.html", generated_at=GENERATED_AT)
    before = sorted(path.name for path in tmp_path.iterdir())
    only = collected.report(PERIOD, generated_at=GENERATED_AT)
    assert sorted(path.name for path in tmp_path.iterdir()) == before
    assert only == written


def test_the_command_line_gives_what_the_library_returns(collected, run, tmp_path):
    project = ["--plan", collected.plan_file, "--store", collected.store.path]
    status = run("status", "--period", PERIOD, "--format", "json", *project)
    assert status.exit_code == 0
    assert json.loads(status.stdout) == collected.status(PERIOD).as_json()

    history = run("history", "SDN", "--format", "json", *project)
    assert json.loads(history.stdout) == [entry.as_json() for entry in collected.history("SDN")]

    validated = run(
        "validate", tmp_path / "returns", "--format", "json", "--plan", collected.plan_file
    )
    assert [
        {k: v for k, v in result.items() if k != "accepted"}
        for result in json.loads(validated.stdout)
    ] == [result.model_dump(mode="json") for result in collected.validate([tmp_path / "returns"])]


def test_a_folder_and_its_plan_file_are_the_same_project(folder, tmp_path, monkeypatch):
    by_folder, by_plan = matrix.Project(folder), matrix.Project(folder / "plan.yaml")
    assert (by_folder.plan_file, by_folder.store, by_folder.plan) == (
        by_plan.plan_file,
        by_plan.store,
        by_plan.plan,
    )
    monkeypatch.setenv("MATRIX_STORE", str(tmp_path / "elsewhere.sqlite"))
    assert matrix.Project(folder).store.path == tmp_path / "elsewhere.sqlite"
    assert matrix.Project(folder, tmp_path / "given.sqlite").store.path == tmp_path / "given.sqlite"
    monkeypatch.setenv("MATRIX_STORE", "postgresql://collector:secret@db.example.org/matrix")
    server = matrix.Project(folder)
    assert server.store.path is None and "secret" not in repr(server)


def test_what_a_script_gets_wrong_is_one_clear_error(folder, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(matrix.MatrixError, match="no plan at .*empty/plan.yaml"):
        matrix.Project.open(tmp_path / "empty")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "plan.yaml").write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    with pytest.raises(matrix.PlanError, match="missing-field"):
        matrix.Project.open(broken)

    project = matrix.Project.open(folder)
    with pytest.raises(matrix.MatrixError, match="no store at"):
        project.status(PERIOD)
    assert not (folder / "matrix.sqlite").exists()  # reading never creates a store
    with pytest.raises(
        matrix.PeriodError, match="'2026-Q3' is a quarterly period but the plan reports monthly"
    ):
        project.generate("2026-Q3", out=tmp_path / "out")
    with pytest.raises(matrix.MatrixError, match="'2026-13' is not a period"):
        project.collect([SUDAN], period="2026-13")
    with pytest.raises(matrix.MatrixError, match="no workbooks"):
        project.validate([tmp_path / "empty"])


def test_stored_periods_left_out_are_told_to_the_script(collected):
    conn = sqlite3.connect(collected.store.path, isolation_level=None)
    conn.execute(
        "UPDATE submissions SET period = '2026-Q3'"
    )  # as a matrix of another calendar left it
    conn.close()
    heard = []
    told = matrix.Project(collected.plan_file, collected.store, on_warning=heard.append)
    assert told.status(PERIOD).offices[0].state is ReturnState.MISSING
    assert [(issue.code, issue.severity) for issue in heard] == [
        ("store-period-unusable", matrix.Severity.WARNING)
    ]
    with pytest.warns(matrix.MatrixWarning, match="store-period-unusable"):
        matrix.Project(collected.plan_file, collected.store).history("SDN")


def test_the_readme_example_runs_as_written(run, tmp_path, monkeypatch):
    """The README's Scripting example, in a project `matrix init` made and with a return filed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Scripting", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.delenv("MATRIX_STORE", raising=False)
    assert run("init", "sudan-2026").exit_code == 0
    project = matrix.Project.open(tmp_path / "sudan-2026")  # `matrix init` made its key
    [returned] = project.generate("2026-Q3", out=tmp_path / "returns" / "2026-Q3")
    fill_good(returned, project.plan)
    namespace: dict[str, object] = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - the documented example itself
    assert [o.status for o in namespace["outcomes"]] == [Outcome.ACCEPTED]
    assert namespace["missing"] == [] and isinstance(namespace["context"], ReportContext)
    assert (tmp_path / "matrices" / "2026-Q3" / returned.name).is_file()
    assert (tmp_path / "report-2026-Q3.html").is_file() and (
        tmp_path / "sudan-2026" / "matrix.sqlite"
    ).is_file()
