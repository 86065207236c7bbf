"""Shell completion as Click documents it (`_MATRIX_COMPLETE=bash_complete`, the variables the
shell sets on Tab): periods, offices, activities and languages from the project's own plan."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from click.shell_completion import CompletionItem, FishComplete
from click.testing import CliRunner

from checkout import DAR, SUDAN
from matrix.cli import cli
from matrix.completion import activities, offices, periods
from matrix.plan import load_plan


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copy(DAR, tmp_path / "plan.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def offered(line: str, shell: str = "bash") -> list[str]:
    """What the shell is offered after typing `line` (a trailing space starts a new word)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env = {"_MATRIX_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="matrix", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [entry.split(",", 1)[1] for entry in result.stdout.splitlines() if entry]


def test_periods_of_the_plan_latest_first(project):
    found = offered("matrix status --period 2026-")
    assert found[-1] == "2026-Q3" and set(found) >= {"2026-Q3", "2026-Q4"}
    assert all(p.startswith("2026-Q") for p in found)
    assert found == periods(load_plan(DAR), "2026-")


def test_periods_of_the_plan_generate_is_given(project):
    found = offered(f"matrix generate {SUDAN} --period 2026-")
    assert "2026-07" in found and not any(
        "Q" in p for p in found
    )  # monthly: the plan named, not ./plan.yaml


def test_offices_and_activities(project):
    assert offered("matrix history K") == ["KEN"]
    assert offered("matrix history ") == list(offices(load_plan(DAR))) and "EHAGL" in offered(
        "matrix history "
    )
    assert offered("matrix report --period 2026-Q4 --country e") == ["ETH", "EHAGL"]
    found = offered("matrix history KEN --activity ")
    assert found == activities(load_plan(DAR)) and found and "." in found[-1]


def test_languages_come_from_the_catalogue(project):
    assert offered("matrix report --period 2026-Q4 --lang ") == ["en", "fr", "es", "ar"]


def test_nothing_is_offered_without_a_readable_plan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert offered("matrix status --period ") == []
    (tmp_path / "plan.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert offered("matrix status --period ") == []


def test_zsh_and_fish_are_offered_the_same(project):
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="matrix",
        env={
            "_MATRIX_COMPLETE": "zsh_complete",
            "COMP_WORDS": "matrix history K",
            "COMP_CWORD": "2",
        },
    )
    assert result.stdout.splitlines()[:2] == ["plain", "KEN"]
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="matrix",
        env={
            "_MATRIX_COMPLETE": "fish_complete",
            "COMP_WORDS": "matrix history K",
            "COMP_CWORD": "K",
        },
    )
    # Click's fish wire format changed in 8.4 (three lines instead of "type,value"): compare
    # with what Click itself writes for the same item, whichever version is installed.
    fish = FishComplete(cli, {}, "matrix", "_MATRIX_COMPLETE")
    assert result.stdout == fish.format_completion(CompletionItem("KEN")) + "\n"


@pytest.mark.parametrize(
    "shell, marker",
    [
        ("bash", "complete -o nosort -F"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files --command matrix"),
    ],
)
def test_each_shell_gets_its_script(shell, marker):
    result = CliRunner().invoke(
        cli, [], prog_name="matrix", env={"_MATRIX_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0 and marker in result.stdout


def test_periods_follow_the_calendar():
    plan = load_plan(DAR)
    found = periods(plan, today=date(2026, 10, 1))
    assert found[0] >= "2027-Q1" and found[-1] == plan.reporting.first_period
