"""The command line as a user meets it: init, plan check, help, version, exit codes."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from checkout import EXAMPLES
from matrix import __version__
from matrix.cli import PERIOD, cli
from matrix.i18n import LANG_ENV, LANGUAGES, t
from test_plan import MINIMAL


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run(
        [sys.executable, "-m", "matrix", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize("path", [p for p, _ in all_commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "matrix " in result.stdout.split("Example:")[1]


def options_named(name: str) -> list[tuple[str, click.Parameter]]:
    return [
        (" ".join(path), param)
        for path, command in all_commands(cli)
        for param in command.params
        if param.name == name
    ]


def test_every_language_option_offers_the_catalogue_languages():
    found = options_named("lang")
    assert sorted(path for path, _ in found) == [
        "collect",
        "compendium",
        "demo",
        "export",
        "generate",
        "history",
        "init",
        "plan check",
        "plan diff",
        "plan export",
        "plan history",
        "plan import",
        "report",
        "status",
        "store copy",
        "store init",
        "validate",
    ]
    assert all(list(param.type.choices) == list(LANGUAGES) for _, param in found)
    assert all(param.envvar == LANG_ENV for path, param in found if path != "generate")


def test_every_period_option_reads_periods_the_same_way():
    found = [*options_named("period"), *options_named("first"), *options_named("last")]
    assert sorted(path for path, _ in found) == [
        "collect",
        "compendium",
        "compendium",
        "compendium",
        "export",
        "generate",
        "report",
        "status",
    ]
    assert all(param.type is PERIOD for _, param in found)


@pytest.mark.parametrize(
    "command",
    [["status"], ["report", "-o", "report.html"], ["export", "--format", "csv", "-o", "out.csv"]],
)
def test_a_mistyped_period_is_refused_before_anything_is_read(run, tmp_path, command):
    """No plan, no store in the folder: the period alone is wrong, and said on one line."""
    result = run(*command, "--period", "2026-13")
    assert result.exit_code == 2
    said = (
        "error: '2026-13' is not a period; write it like 2026-09 (month), 2026-Q3 (quarter), "
        "2026-H2 (half-year) or 2026 (year)"
    )
    assert result.stderr.splitlines() == [said]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["status"], ["report", "-o", "report.html"]])
def test_a_mistyped_period_is_refused_in_the_language_asked_for_wherever_lang_is_typed(
    run, command
):
    result = run(*command, "--period", "2026-13", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "erreur : " + t("fr", "period.not_a_period", text="2026-13")
    ]


@pytest.mark.parametrize(
    "scope, framework", [("national", "10-point-plan"), ("regional", "dar-es-salaam-2010")]
)
def test_init_then_check_succeeds(run, tmp_path, scope, framework):
    result = run("init", "project", "--scope", scope, "--framework", framework)
    assert result.exit_code == 0, result.output
    plan_file = tmp_path / "project" / "plan.yaml"
    assert "matrix plan check" in result.stderr and plan_file.exists()
    check = run("plan", "check", plan_file)
    assert check.exit_code == 0, check.output
    assert "valid" in check.stderr


def test_init_never_overwrites_a_plan(run, tmp_path):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "plan.yaml").write_text("mine", encoding="utf-8")
    result = run("init", "project")
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / "project" / "plan.yaml").read_text(encoding="utf-8") == "mine"


def test_init_rejects_unknown_framework_as_usage_error(run):
    result = run("init", "x", "--framework", "11-point-plan")
    assert result.exit_code == 2 and "11-point-plan" in result.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_plan_check_accepts_every_example(run, example):
    result = run("plan", "check", example)
    assert result.exit_code == 0, result.output


def test_plan_check_prints_file_line_code_and_fix_and_exits_1(run, tmp_path):
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(MINIMAL.replace("partners: [IOM]", "partners: [IOMM]"), encoding="utf-8")
    result = run("plan", "check", plan_file)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "error" in line)
    assert line.startswith(f"{plan_file}:20  error  unknown-actor  activity AP3-1: partner 'IOMM'")
    assert line.endswith("did you mean 'IOM'?")
    assert "1 error, " in result.stderr


def test_plan_check_on_empty_and_invalid_yaml_exits_1_with_one_line(run, tmp_path):
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [x\n", encoding="utf-8")
    for name, code in [("empty.yaml", "plan-empty"), ("broken.yaml", "yaml-syntax")]:
        result = run("plan", "check", tmp_path / name)
        assert result.exit_code == 1
        assert len(result.stdout.splitlines()) == 1 and code in result.stdout


def test_plan_check_missing_file_is_a_usage_error(run):
    result = run("plan", "check", "nowhere.yaml")
    assert result.exit_code == 2 and "nowhere.yaml" in result.stderr
