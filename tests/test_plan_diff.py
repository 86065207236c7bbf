"""`matrix plan diff OLD NEW`: every change between two versions of a plan, named, in text and in
JSON that follows its published schema; exit 0 when identical, 1 when they differ, 2 when a plan
cannot be read."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from checkout import DAR, ROOT, SUDAN
from matrix.models.plan import Activity, Actor, ActorType, Indicator, Objective, Plan
from matrix.plan import load_plan
from matrix.plan.diff import PACKAGED, diff_plans, schema_text
from matrix.plan.yaml_writer import plan_yaml
from plan_strategies import plans
from plan_workbook_helpers import export

DOCS = ROOT / "docs" / "plan-diff.schema.json"
REGENERATE = (
    "regenerate: python -c \"from matrix.plan.diff import schema_text as s; print(s(), end='')\" "
    "| tee docs/plan-diff.schema.json > src/matrix/schemas/plan-diff.schema.json"
)


def write(plan: Plan, path):
    """The plan as YAML, its translations kept (a JSON dump has each text in the plan's
    language)."""
    path.write_text(plan_yaml(plan), encoding="utf-8")
    return path


def with_activity(plan: Plan, ident: str, **changes) -> Plan:
    objectives = [
        o.model_copy(
            update={
                "activities": [
                    a.model_copy(update=changes) if a.id == ident else a for a in o.activities
                ]
            }
        )
        for o in plan.objectives
    ]
    return plan.model_copy(update={"objectives": objectives})


def revised(plan: Plan) -> Plan:
    """Version 2 of the Dar es Salaam plan: a target revised mid-term and an activity added for
    two countries."""
    cap1 = next(a for _, a in plan.activities() if a.id == "CAP-1")
    plan = with_activity(
        plan, "CAP-1", indicators=[cap1.indicators[0].model_copy(update={"target": 200})]
    )
    new = Activity(
        id="CAP-3",
        title="Refresher course for border officials",
        lead="IOM",
        countries=["KEN", "TZA"],
        indicators=[Indicator(name="Officials refreshed", unit="people", target=60)],
        start=date(2027, 1, 1),
        end=date(2027, 6, 30),
    )
    objectives = [
        o.model_copy(update={"activities": [*o.activities, new]}) if o.id == "CAP-O1" else o
        for o in plan.objectives
    ]
    return plan.model_copy(update={"objectives": objectives})


def keys(changes) -> set[tuple]:
    return {(c.change.value, c.item.value, c.id, c.indicator, c.field) for c in changes}


def test_identical_plans_exit_0(run, tmp_path):
    export(load_plan(DAR), tmp_path / "plan.xlsx")
    result = run("plan", "diff", DAR, "plan.xlsx")
    assert result.exit_code == 0 and result.output.strip().endswith(": identical")
    data = json.loads(run("plan", "diff", DAR, "plan.xlsx", "--format", "json").output)
    assert (
        data["identical"] is True
        and data["changes"] == []
        and data["old"]["version"] == data["new"]["version"]
    )


def test_a_revision_names_each_change(run, tmp_path):
    old = load_plan(DAR)
    write(revised(old), tmp_path / "v2.yaml")
    result = run("plan", "diff", DAR, "v2.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith(": 2 changes")
    assert "activity CAP-1, indicator 1: target 150 -> 200" in lines
    assert (
        "activity CAP-3 added in objective CAP-O1 (action point CAP): title 'Refresher course for "
        'border officials\', lead IOM, countries [KEN, TZA], indicators [{"name": "Officials '
        'refreshed", "unit": "people", "target": 60}], start 2027-01-01, end 2027-06-30'
    ) in lines

    data = json.loads(run("plan", "diff", DAR, "v2.yaml", "--format", "json").output)
    assert data["identical"] is False and data["old"]["version"] == old.content_hash()
    added, target = data["changes"]
    assert target == {
        "change": "changed",
        "item": "indicator",
        "id": "CAP-1",
        "indicator": 1,
        "field": "target",
        "old": 150,
        "new": 200,
        "version": True,
    }
    assert (
        added["change"] == "added"
        and added["id"] == "CAP-3"
        and added["new"]["objective"] == "CAP-O1"
    )


def test_every_kind_of_change_is_named():
    old = load_plan(DAR)
    new = with_activity(
        old,
        "CAP-1",
        lead="IOM",
        partners=["GOV", "EAC"],
        countries=["KEN", "TZA"],
        start=date(2026, 8, 1),
        end=date(2027, 9, 30),
        budget=65000,
        title="Joint training",
    )
    first, *others = new.objectives[2].activities[0].indicators
    new = with_activity(
        new,
        "OPS-1",
        indicators=[
            first.model_copy(update={"unit": "crossings", "baseline": 1}),
            *others[:-1],
        ],
    )  # the last indicator (the share) removed
    moved = next(a for _, a in old.activities() if a.id == "OPS-3")
    objectives = []
    for objective in new.objectives:
        activities = [a for a in objective.activities if a.id not in ("LEG-2", "OPS-3")]
        if objective.id == "CAP-O1":
            activities.append(moved)
        update = {"activities": activities}
        if objective.id == "DAT-O1":
            update["action_point"] = "COO"
        objectives.append(objective.model_copy(update=update))
    objectives.append(Objective(id="PRO-O1", action_point="OUT", title="New objective"))
    new = new.model_copy(
        update={
            "objectives": objectives,
            "countries": [c for c in old.countries if c != "ZAF"] + ["UGA"],
            "actors": [
                *old.actors,
                Actor(id="NRC", name="Norwegian Refugee Council", type=ActorType.NGO),
            ],
            "reporting": old.reporting.model_copy(update={"due_days": 30}),
            "iati": old.iati.model_copy(update={"default_language": "fr"}),
        }
    )
    changes = diff_plans(old, new).changes
    expected = {
        ("changed", "plan", None, None, "reporting.due_days"),
        ("changed", "plan", None, None, "iati.default_language"),
        ("added", "country", "UGA", None, None),
        ("removed", "country", "ZAF", None, None),
        ("added", "actor", "NRC", None, None),
        ("added", "objective", "PRO-O1", None, None),
        ("changed", "objective", "DAT-O1", None, "action_point"),
        ("removed", "activity", "LEG-2", None, None),
        ("moved", "activity", "OPS-3", None, None),
        ("moved", "activity", "DAT-1", None, None),
        ("moved", "activity", "DAT-2", None, None),
        *(
            ("changed", "activity", "CAP-1", None, f)
            for f in ("title", "lead", "partners", "countries", "start", "end", "budget")
        ),
        ("changed", "indicator", "OPS-1", 1, "unit"),
        ("changed", "indicator", "OPS-1", 1, "baseline"),
        ("removed", "indicator", "OPS-1", 4, None),
    }
    assert keys(changes) == expected
    by_key = {(c.change.value, c.id, c.field): c for c in changes}
    assert by_key["changed", None, "iati.default_language"].version is False
    assert by_key["moved", "OPS-3", None].old == {"objective": "OPS-O1", "action_point": "OPS"}
    assert by_key["moved", "OPS-3", None].new == {"objective": "CAP-O1", "action_point": "CAP"}
    assert by_key["moved", "DAT-1", None].new == {"objective": "DAT-O1", "action_point": "COO"}


def test_text_says_what_changed_in_lists_and_for_every_country(run, tmp_path):
    old = load_plan(DAR)
    write(
        with_activity(old, "CAP-1", partners=["GOV", "EAC"], countries=["KEN"]),
        tmp_path / "v2.yaml",
    )
    write(old.model_copy(update={"iati": None}), tmp_path / "v3.yaml")
    lines = run("plan", "diff", DAR, "v2.yaml").output.splitlines()
    assert "activity CAP-1: partners [IOM, GOV] -> [GOV, EAC] (added EAC; removed IOM)" in lines
    assert "activity CAP-1: countries (every country of the plan) -> [KEN] (added KEN)" not in lines
    assert "activity CAP-1: countries (every country of the plan) -> [KEN]" in lines
    publication = run("plan", "diff", DAR, "v3.yaml")
    assert (
        publication.exit_code == 1
        and "(publication only: the plan's version is the same)" in publication.output
    )


def test_reordered_activities_are_a_change(run, tmp_path):
    old = load_plan(SUDAN)
    objectives = [
        o.model_copy(update={"activities": list(reversed(o.activities))}) if o.id == "O6" else o
        for o in old.objectives
    ]
    write(old.model_copy(update={"objectives": objectives}), tmp_path / "v2.yaml")
    result = run("plan", "diff", SUDAN, "v2.yaml")
    assert (
        result.exit_code == 1
        and "objective O6: activities reordered: AP6-3, AP6-2, AP6-1" in result.output
    )


def test_a_plan_that_cannot_be_read_exits_2_in_one_line(run, tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run("plan", "diff", SUDAN, "broken.yaml")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and "yaml-syntax" in lines[0]


def test_json_follows_its_published_schema(run, tmp_path):
    assert DOCS.read_text(encoding="utf-8") == schema_text(), REGENERATE
    assert files("matrix").joinpath(PACKAGED).read_text(encoding="utf-8") == schema_text(), (
        REGENERATE
    )
    schema = json.loads(DOCS.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    write(revised(load_plan(DAR)).model_copy(update={"iati": None}), tmp_path / "v2.yaml")
    data = json.loads(run("plan", "diff", DAR, "v2.yaml", "--format", "json").output)
    assert not list(Draft202012Validator(schema).iter_errors(data))
    assert {c["change"] for c in data["changes"]} == {"changed", "added"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=plans(), new=plans())
def test_two_plans_have_no_change_exactly_when_they_are_equal(old, new):
    assert diff_plans(old, old).identical and not diff_plans(old, old).changes
    diff = diff_plans(old, new)
    assert diff.identical == (not diff.changes) == (old == new)
    renamed = old.model_copy(update={"title": old.title + " (revised)"})
    changes = diff_plans(old, renamed, old_source="v1", new_source="v2").changes
    assert [(c.change.value, c.field) for c in changes] == [("changed", "title")]
