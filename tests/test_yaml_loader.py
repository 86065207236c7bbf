"""Hostile plan YAML: alias bombs, deep nesting and alias cycles are refused quickly, with one line,
by every command that loads a plan; ordinary aliases and plans load as before, in C or in Python."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checkout import DAR, EXAMPLES, SUDAN
from limits_helpers import one_line_error, run_limited
from matrix.codes import Code
from matrix.plan import check_plan_file, load_plan
from matrix.yaml_loader import (
    EVENTS,
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    PythonEvents,
    Refused,
    bounded_loader,
)

PARSERS = sorted({EVENTS, PythonEvents}, key=lambda events: events.__name__)


def billion_laughs() -> str:
    """The classic: nine levels of nine aliases each, 10^9 values once expanded, under 500 bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def merge_bomb() -> str:
    """The same growth through merge keys (<<), which copy a mapping's pairs into another."""
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: v" for i in range(9)) + "}"]
    for level in range(1, 9):
        merged = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} {{<<: [{merged}], own{level}: x}}")
    return "\n".join(lines) + "\n"


def nested(levels: int, *, flow: bool) -> str:
    if flow:
        return "id: x\nvalue: " + "[" * levels + "]" * levels + "\n"
    return (
        "id: x\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + f"{'  ' * levels}leaf\n"
    )


def loaded(text: str, events: type) -> object:
    loader = bounded_loader(text, events)
    return loader.construct_document(loader.get_single_node())


@pytest.mark.parametrize("events", PARSERS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (billion_laughs(), Code.YAML_ALIAS_EXPANSION, 6),
        (merge_bomb(), Code.YAML_ALIAS_EXPANSION, 5),
        (nested(500, flow=True), Code.YAML_TOO_DEEP, 2),
        (nested(500, flow=False), Code.YAML_TOO_DEEP, MAX_DEPTH + 1),
        ("a: &a [1, *a]\n", Code.YAML_ALIAS_CYCLE, 1),
        (
            "deep: &d " + "[" * 40 + "]" * 40 + "\ndeeper: " + "[" * 30 + "*d" + "]" * 30 + "\n",
            Code.YAML_TOO_DEEP,
            2,
        ),
    ],
    ids=["billion-laughs", "merge-keys", "flow-500", "block-500", "cycle", "depth-through-alias"],
)
def test_hostile_documents_are_refused_where_they_go_wrong(events, text, code, line):
    with pytest.raises(Refused) as refused:
        loaded(text, events)
    assert (refused.value.code, refused.value.line) == (code, line)


@pytest.mark.parametrize("events", PARSERS, ids=lambda e: e.__name__)
def test_ordinary_aliases_and_merge_keys_still_load(events):
    text = """\
partners: &partners [IOM, UNICEF]
defaults: &defaults {lead: UNHCR, partners: *partners}
activity:
  <<: *defaults
  lead: IOM
many: [*partners, *partners, *partners]
"""
    assert loaded(text, events) == {
        "partners": ["IOM", "UNICEF"],
        "defaults": {"lead": "UNHCR", "partners": ["IOM", "UNICEF"]},
        "activity": {"lead": "IOM", "partners": ["IOM", "UNICEF"]},
        "many": [["IOM", "UNICEF"]] * 3,
    }


@pytest.mark.parametrize("events", PARSERS, ids=lambda e: e.__name__)
def test_aliases_up_to_the_limit_load(events):
    values = ", ".join(["x"] * 99)
    aliases = ", ".join(
        ["*v"] * (MAX_ALIAS_VALUES // 100)
    )  # the list and its 99 items: 100 values each
    assert (
        len(loaded(f"v: &v [{values}]\nmany: [{aliases}]\n", events)["many"])
        == MAX_ALIAS_VALUES // 100
    )
    with pytest.raises(Refused):
        loaded(f"v: &v [{values}]\nmany: [{aliases}, *v]\n", events)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.dates()
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers() | st.dates(), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(document=DOCUMENTS, flow=st.sampled_from([None, True, False]))
def test_any_document_loads_as_pyyaml_loads_it(document, flow):
    text = yaml.safe_dump({"doc": document, "again": document}, default_flow_style=flow)
    for events in PARSERS:
        assert loaded(text, events) == yaml.safe_load(text)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_both_parsers_read_the_examples_as_pyyaml_does(example):
    text = example.read_text(encoding="utf-8")
    for events in PARSERS:
        assert loaded(text, events) == yaml.safe_load(text)


def test_a_date_that_does_not_exist_is_a_plan_error_at_its_line(tmp_path):
    text = SUDAN.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "start:" in row)
    lines = text.splitlines()
    lines[line - 1] = lines[line - 1].split("start:")[0] + "start: 2026-02-30"
    lines.append(
        "schema_note_too_long_to_be_a_number: " + "9" * 5000
    )  # int() refuses > 4300 digits
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = {(i.code, i.line) for i in check_plan_file(path)}
    assert ("invalid-date", line) in issues
    assert ("unknown-field", len(lines)) in issues


# --- every command that loads a plan, in a child process under memory and CPU limits --------------

PLAN_COMMANDS = {
    "validate": ["validate", "returns", "--plan", "plan.yaml"],
    "generate": ["generate", "plan.yaml", "--period", "2026-07", "--all", "-o", "out"],
    "collect": ["collect", "returns", "--plan", "plan.yaml"],
    "status": ["status", "--period", "2026-07"],
    "history": ["history", "SDN"],
    "export": ["export", "--format", "csv", "-o", "out.csv"],
    "report": ["report", "--period", "2026-07", "-o", "report.html"],
}


@pytest.fixture
def hostile_project(tmp_path):
    """A project folder with a store and a returned workbook, whose plan.yaml a test replaces."""
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    (tmp_path / "returns").mkdir()
    (tmp_path / "returns" / "SDN.xlsx").write_bytes(b"PK\x03\x04 not read: the plan fails first")
    from matrix.store import Store

    Store.open(tmp_path / "matrix.sqlite").close()
    return tmp_path


@pytest.mark.parametrize("bomb", ["billion-laughs", "nested-500"])
def test_plan_check_refuses_bombs_in_one_line(hostile_project, bomb):
    text = billion_laughs() if bomb == "billion-laughs" else nested(500, flow=False)
    (hostile_project / "plan.yaml").write_text(text, encoding="utf-8")
    proc = run_limited("plan", "check", "plan.yaml", cwd=hostile_project)
    code = "yaml-alias-expansion" if bomb == "billion-laughs" else "yaml-too-deep"
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(lines) == 1 and f"error  {code}" in lines[0]


@pytest.mark.parametrize("command", PLAN_COMMANDS)
def test_every_command_refuses_an_alias_bomb_plan(hostile_project, command):
    (hostile_project / "plan.yaml").write_text(billion_laughs(), encoding="utf-8")
    error = one_line_error(run_limited(*PLAN_COMMANDS[command], cwd=hostile_project))
    assert "plan.yaml:6" in error and "yaml-alias-expansion" in error


@pytest.mark.parametrize("command", ["validate", "generate", "report"])
def test_commands_refuse_a_deeply_nested_plan(hostile_project, command):
    (hostile_project / "plan.yaml").write_text(nested(500, flow=True), encoding="utf-8")
    error = one_line_error(run_limited(*PLAN_COMMANDS[command], cwd=hostile_project))
    assert "yaml-too-deep" in error


def test_a_plan_that_is_a_device_or_a_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        assert [(i.code, i.message) for i in check_plan_file(path)] == [
            ("plan-unreadable", "cannot read the plan: not a regular file")
        ]


def test_real_plans_still_load():
    assert load_plan(DAR).activities() and load_plan(SUDAN).activities()
