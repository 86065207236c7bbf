"""The JSON shapes commands print (`matrix.results`): published in docs/schemas/, generated from
the code, so a changed shape cannot go out with an old description."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from matrix.codes import Code
from matrix.collect import CollectOutcome
from matrix.results import SCHEMAS, collect_report, json_schema, plan_report, schema_text
from matrix.store import Outcome

DOCS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


@pytest.mark.parametrize("name", SCHEMAS)
def test_docs_carry_the_generated_schema(name):
    assert (DOCS / f"{name}.json").read_text(encoding="utf-8") == schema_text(name), (
        "regenerate: python -m matrix.results docs/schemas"
    )
    Draft202012Validator.check_schema(json_schema(name))


def test_docs_hold_no_schema_the_code_does_not_make():
    assert {p.stem for p in DOCS.glob("*.json")} == set(SCHEMAS)


def test_plan_report_counts_errors_and_warnings():
    issues = [
        Code.UNKNOWN_ACTOR.issue(
            file="plan.yaml", line=3, activity="A1", role="lead", actor="UNHRC", hint=""
        ),
        Code.EMPTY_ACTION_POINT.issue(file="plan.yaml", ap="AP2", title="Data collection"),
    ]
    report = plan_report("plan.yaml", issues)
    assert (report.valid, report.errors, report.warnings) == (False, 1, 1)
    document = json.loads(report.model_dump_json())
    Draft202012Validator(json_schema("plan-check.v1")).validate(document)


def test_a_changed_shape_fails_its_schema():
    outcome = CollectOutcome(
        file=Path("KEN.xlsx"),
        office="KEN",
        period="2026-Q4",
        status=Outcome.ACCEPTED,
        reason=None,
        errors=0,
        warnings=0,
        submission_id=4,
    )
    document = collect_report([outcome]).model_dump(mode="json")
    schema = Draft202012Validator(json_schema("collect.v1"))
    schema.validate(document)
    assert document["counts"] == {o.value: int(o is Outcome.ACCEPTED) for o in Outcome}
    document["outcomes"][0]["result"] = "kept"
    assert not schema.is_valid(document)
    document["outcomes"][0]["result"] = "accepted"
    document["schema_version"] = 2
    assert not schema.is_valid(document)
