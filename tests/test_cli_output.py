"""The command line in scripts (issue 19): every command's JSON parses and follows its published
schema, `-o -` (and no -o) writes single-stream outputs to standard output, and messages stay on
standard error, never mixed into the data."""

from __future__ import annotations

import io
import json
import os
import pty
import shutil
import subprocess
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from matrix.cli import CYCLE, OUTPUT, cli
from matrix.demo import run_demo
from matrix.plan import load_plan
from process_helpers import matrix_command, matrix_env

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schemas"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A project with two collected quarters, as `matrix demo` leaves it."""
    directory = tmp_path_factory.mktemp("scripts") / "demo"
    run_demo(directory)
    return directory


@pytest.fixture
def project(demo, tmp_path, monkeypatch) -> Path:
    """A copy of the demo project for one test, its own key beside the plan, as current folder."""
    folder = tmp_path / "project"
    shutil.copytree(demo, folder)
    monkeypatch.delenv("MATRIX_KEY_FILE", raising=False)
    monkeypatch.delenv("MATRIX_STORE", raising=False)
    monkeypatch.chdir(folder)
    return folder


def matrix(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def validator(schema_file: Path) -> Draft202012Validator:
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def changed_plan(project: Path) -> Path:
    text = (project / "plan.yaml").read_text(encoding="utf-8")
    changed = project.parent / "plan-v2.yaml"
    changed.write_text(text.replace("due_days: 21", "due_days: 30"), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text
    return changed


# (arguments, schema file, exit codes it may end with, what stderr must say)
JSON_RUNS = {
    "plan check": (
        ["plan", "check", "plan.yaml"],
        "schemas/plan-check.v1.json",
        {0},
        "plan.yaml: valid",
    ),
    "plan diff": (
        ["plan", "diff", "plan.yaml", "../plan-v2.yaml"],
        "plan-diff.schema.json",
        {1},
        None,
    ),
    "plan history": (["plan", "history", "plan.yaml"], "schemas/plan-history.v1.json", {0}, None),
    "generate": (
        ["generate", "plan.yaml", "--period", "2026-Q4", "--all", "-o", "fresh"],
        "schemas/generate.v1.json",
        {0},
        None,
    ),
    "validate": (["validate", "returns/2026-Q4"], "schemas/validate.v1.json", {1}, None),
    "collect": (
        ["collect", "returns", "--store", "fresh.sqlite"],
        "schemas/collect.v1.json",
        {1},
        None,
    ),
    "status": (["status", "--period", "2026-Q4"], "schemas/status.v1.json", {1}, None),
    "history": (["history", "KEN"], "schemas/history.v1.json", {0}, None),
    "export": (
        ["export", "-o", "-"],
        "export-json.schema.json",
        {0},
        "wrote 126 rows to standard output",
    ),
}
"""Every command with `--format json` (export's is its file format)."""

STDOUT_RUNS = {
    "export": (["export", "--format", "csv"], "wrote 126 rows to standard output"),
    "report": (["report", "--period", "2026-Q4", "-o", "-"], "wrote the report to standard output"),
    "compendium": (["compendium"], "wrote 2 good practices to standard output"),
    "plan import": (["plan", "import", "plan.yaml"], "wrote the plan to standard output"),
    "plan export": (
        ["plan", "export", "plan.yaml", "-o", "-"],
        "wrote the plan to standard output",
    ),
}
"""Every command whose -o is one stream, run with -o - or without -o."""


def commands(group: click.Group = cli, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_with_json_or_a_stream_output_is_run_here():
    with_json = {
        name
        for name, command in commands()
        for p in command.params
        if p.name == "fmt" and "json" in getattr(p.type, "choices", ())
    }
    with_stream = {name for name, command in commands() for p in command.params if p.type is OUTPUT}
    assert with_json == set(JSON_RUNS)
    assert with_stream == set(STDOUT_RUNS)


@pytest.mark.parametrize("name", JSON_RUNS)
def test_json_on_stdout_follows_its_schema_and_messages_go_to_stderr(project, name):
    args, schema, codes, said = JSON_RUNS[name]
    if name == "plan diff":
        changed_plan(project)
    result = matrix(*args, "--format", "json")
    assert result.exit_code in codes, result.output
    document = json.loads(result.stdout)  # nothing but the JSON on stdout
    errors = list(validator(ROOT / "docs" / schema).iter_errors(document))
    assert not errors, errors[0]
    if said is not None:
        assert said in result.stderr
    assert not result.stderr or not result.stderr.lstrip().startswith(("{", "["))


def test_collect_json_says_what_became_of_each_file(project):
    result = matrix("collect", "returns", "--store", "fresh.sqlite", "--format", "json")
    document = json.loads(result.stdout)
    results = {Path(o["file"]).name: o["result"] for o in document["outcomes"]}
    assert document["files"] == len(results) == 18
    assert results["ETH_2026-Q4_dar-es-salaam-follow-up.xlsx"] == "rejected"
    assert (
        results["KEN_2026-Q4_dar-es-salaam-follow-up_v2.xlsx"] == "accepted"
    )  # its first was rejected
    assert document["counts"]["rejected"] == 4 and document["counts"]["accepted"] == 14
    assert result.exit_code == 1
    again = json.loads(
        matrix("collect", "returns", "--store", "fresh.sqlite", "--format", "json").stdout
    )
    assert again["counts"]["duplicate"] == 18


def test_generate_json_lists_the_workbooks_and_the_new_key(project):
    (project / ".matrix-key").unlink()
    result = matrix(
        "generate",
        "plan.yaml",
        "--period",
        "2026-Q4",
        "--country",
        "KEN",
        "-o",
        "fresh",
        "--format",
        "json",
    )
    document = json.loads(result.stdout)
    assert document["workbooks"] == ["fresh/KEN_2026-Q4_dar-es-salaam-follow-up.xlsx"]
    assert Path(document["key_created"]).resolve() == (project / ".matrix-key").resolve()
    assert "created the project key" in result.stderr


def test_plan_check_json_lists_every_problem(project):
    (project / "plan.yaml").write_text(
        (project / "plan.yaml")
        .read_text(encoding="utf-8")
        .replace("lead: UNHCR", "lead: UNHRC", 1),
        encoding="utf-8",
    )
    result = matrix("plan", "check", "plan.yaml", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 1 and not document["valid"] and document["errors"] >= 1
    assert "unknown-actor" in {issue["code"] for issue in document["issues"]}
    assert "1 error" in result.stderr


@pytest.mark.parametrize("name", STDOUT_RUNS)
def test_single_stream_outputs_go_to_stdout(project, name):
    args, said = STDOUT_RUNS[name]
    before = sorted(p.name for p in project.iterdir())
    result = matrix(*args)
    assert result.exit_code == 0, result.output
    assert said in result.stderr and said not in result.stdout
    if name == "export":
        assert result.stdout.startswith("period,country,")  # no byte-order mark on a pipe
        assert len(result.stdout.splitlines()) == 127
    elif name == "plan import":
        assert "id: dar-es-salaam-follow-up" in result.stdout
        assert (
            load_plan(write(project.parent / "again.yaml", result.stdout)).id
            == "dar-es-salaam-follow-up"
        )
    elif name == "plan export":
        with zipfile.ZipFile(io.BytesIO(result.stdout_bytes)) as book:
            assert "xl/workbook.xml" in book.namelist()
    else:
        assert result.stdout.lstrip().lower().startswith("<!doctype html>")
        assert result.stdout.rstrip().endswith("</html>")
    assert sorted(p.name for p in project.iterdir()) == before  # no file named '-'


def test_binary_exports_reach_a_pipe_whole(project):
    result = CliRunner().invoke(
        cli, ["export", "--format", "xlsx", "-o", "-"], catch_exceptions=False
    )
    assert result.exit_code == 0
    with zipfile.ZipFile(io.BytesIO(result.stdout_bytes)) as book:
        assert "xl/workbook.xml" in book.namelist()


def test_a_reader_that_stops_early_gets_one_line_not_a_traceback(project):
    process = subprocess.Popen(
        matrix_command("report", "--period", "2026-Q4"),
        cwd=project,
        env=matrix_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # as `| true` does: the report is far larger than a pipe's buffer
    error = process.stderr.read().decode()
    assert process.wait(timeout=600) == 2
    assert error == "error: standard output was closed before everything was written\n"


def test_a_file_output_still_says_where_it_went(project):
    result = matrix("export", "--format", "csv", "-o", "progress.csv")
    assert result.stdout == "" and "wrote progress.csv (126 rows)" in result.stderr
    assert (
        (project / "progress.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    )  # Excel's mark in a file


def test_stdout_is_never_an_input_and_inputs_are_still_protected(project):
    plan = (project / "plan.yaml").read_bytes()
    result = matrix("export", "--format", "csv", "-o", "plan.yaml")
    assert result.exit_code == 2 and "is the plan" in result.stderr
    assert (project / "plan.yaml").read_bytes() == plan
    result = matrix("report", "--period", "2026-Q4", "-o", "matrix.sqlite")
    assert result.exit_code == 2 and "is the store" in result.stderr


# --- how much is said: --quiet, --verbose, progress ---------------------------------------------


def test_quiet_collect_says_only_which_files_were_rejected(project):
    result = matrix("collect", "returns", "--store", "fresh.sqlite", "--quiet")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all("  error  rejected  " in line for line in lines)
    assert {Path(line.split()[0]).name.split("_")[0] for line in lines} == {
        "MOZ",
        "KEN",
        "ETH",
        "BDI",
    }


def test_quiet_is_accepted_before_the_command_too(project):
    loud = matrix("validate", "returns/2026-Q4")
    quiet = matrix("-q", "validate", "returns/2026-Q4")
    assert loud.exit_code == quiet.exit_code == 1
    assert " warning " in loud.output and ": valid" in loud.output
    assert quiet.stdout and all("  error  " in line for line in quiet.stdout.splitlines())
    assert quiet.stderr == ""


def test_quiet_keeps_what_was_asked_for_and_every_error(project):
    result = matrix("export", "--format", "csv", "--quiet")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout.startswith("period,")
    result = matrix("report", "--period", "2027-Q9", "--quiet")
    assert result.exit_code == 2 and result.stderr.startswith("error:")


def test_quiet_and_verbose_together_is_a_usage_error(project):
    result = matrix("-q", "status", "--period", "2026-Q4", "--verbose")
    assert result.exit_code == 2 and "not both" in result.stderr


def test_verbose_says_which_plan_and_store_and_how_long(project):
    result = matrix("status", "--period", "2026-Q4", "--format", "json", "-v")
    json.loads(result.stdout)
    assert "plan plan.yaml (dar-es-salaam-follow-up, version " in result.stderr
    assert "store matrix.sqlite" in result.stderr
    assert "status: " in result.stderr and result.stderr.rstrip().endswith(" s")


def test_every_command_takes_quiet_and_verbose():
    for name, command in commands():
        flags = {opt for p in command.params for opt in p.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= flags, name


def test_no_progress_bar_when_stderr_is_not_a_terminal(project):
    result = matrix("collect", "returns", "--store", "fresh.sqlite")
    assert "collecting" not in result.stderr and "%" not in result.stderr


def on_a_terminal(
    project: Path, *args: str, stream: str
) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run matrix with its `stream` (stdout or stderr) on a pseudo-terminal: the process, and what
    the terminal received."""
    leader, follower = pty.openpty()
    other = {"stdout": "stderr", "stderr": "stdout"}[stream]
    env = {**matrix_env(), "NO_COLOR": "1", "COLUMNS": "100"}
    process = subprocess.run(
        matrix_command(*args),
        cwd=project,
        env=env,
        check=False,
        timeout=600,
        **{stream: follower, other: subprocess.PIPE},
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process, received


def test_binary_is_not_printed_to_a_terminal(project):
    process, shown = on_a_terminal(project, "export", "--format", "xlsx", stream="stdout")
    assert process.returncode == 2 and shown == b""
    assert b"binary" in process.stderr and b"-o FILE" in process.stderr


def test_progress_bar_on_a_terminal_and_never_colour(project):
    process, drawn = on_a_terminal(
        project, "collect", "returns", "--store", "fresh.sqlite", stream="stderr"
    )
    assert process.returncode == 1
    assert b"collecting" in drawn and b"100%" in drawn
    assert b"\x1b[3" not in drawn and b"\x1b[3" not in process.stdout  # no colour codes
    assert b"collecting" not in process.stdout


# --- --help ------------------------------------------------------------------------------------


def test_help_lists_the_commands_in_the_order_of_the_cycle():
    result = matrix("--help")
    listed = result.stdout.split("Commands:")[1].strip().split("\n\n")[0].splitlines()
    names = [line.split()[0] for line in listed]
    assert names == list(CYCLE["cli"]) and set(names) == set(cli.commands)
    cycle = ["init", "generate", "validate", "collect", "status", "report"]
    assert sorted(cycle, key=names.index) == cycle
    assert all("..." not in line and len(line.split(None, 1)[1]) > 20 for line in listed)
    assert "matrix demo" in result.stdout.split("Commands:")[1]


def test_plan_help_follows_a_plan_s_life():
    listed = matrix("plan", "--help").stdout.split("Commands:")[1].strip().splitlines()
    assert [line.split()[0] for line in listed][:4] == ["check", "export", "import", "diff"]


# --- the README's nightly script ------------------------------------------------------------------


def readme_script(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split(f"<!-- {marker}", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def test_the_readme_nightly_script_runs(project, tmp_path):
    import gzip

    shims = tmp_path / "bin"
    shims.mkdir()
    shim = shims / "matrix"
    shim.write_text(f'#!/bin/sh\nexec "{matrix_command()[0]}" -m matrix "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (project / "nightly.sh").write_text(readme_script("nightly-collect"), encoding="utf-8")
    env = {**matrix_env(), "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["sh", "nightly.sh"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""  # quiet: nothing for cron to mail
    collected = json.loads(
        next((project / "logs").glob("collect-*.json")).read_text(encoding="utf-8")
    )
    assert collected["files"] == 8 and collected["counts"]["duplicate"] == 8
    status = json.loads((project / "reports" / "status-2026-Q4.json").read_text(encoding="utf-8"))
    assert {o["office"]: o["state"] for o in status["offices"]}["EHAGL"] == "missing"
    assert (
        (project / "reports" / "report-2026-Q4.html")
        .read_text(encoding="utf-8")
        .startswith("<!doctype")
    )
    exported = gzip.decompress(next((project / "exports").glob("progress-*.csv.gz")).read_bytes())
    assert exported.startswith(b"period,country,") and len(exported.splitlines()) == 127


# --- in the command's language: what is routed to stderr comes from the catalogue ----------------


def test_messages_on_stderr_speak_the_commands_language(project):
    exported = matrix("export", "--format", "csv", "--lang", "fr")
    assert exported.stdout.count("\n") == 127 and "lignes écrites" not in exported.stdout
    assert exported.stderr == "126 lignes écrites sur la sortie standard\n"
    both = matrix("status", "--period", "2026-Q4", "--quiet", "--verbose", "--lang", "es")
    assert both.exit_code == 2 and "indique --quiet o --verbose, no ambos" in both.stderr
    verbose = matrix("status", "--period", "2026-Q4", "--verbose", "--lang", "fr")
    assert "plan plan.yaml (" in verbose.stderr and "; base " in verbose.stderr


def test_quiet_collect_lists_rejections_in_the_commands_language(project):
    result = matrix("collect", "returns", "--store", "fresh.sqlite", "--quiet", "--lang", "fr")
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all("  erreur  rejeté  " in line for line in lines)
    assert not any("is not a number" in line for line in lines)
