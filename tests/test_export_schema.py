"""The JSON export's published schema: generated from the export's columns, shipped in docs and in
the package, and satisfied by real exports."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from checkout import DAR, ROOT, SUDAN
from matrix.export import COLUMNS, JSON_SCHEMA_VERSION
from matrix.export_schema import DESCRIPTIONS, PACKAGED, json_schema, schema_text
from matrix.plan import load_plan
from matrix.store import Store
from store_helpers import make_result

DOCS = ROOT / "docs" / "export-json.schema.json"
REGENERATE = (
    'regenerate: python -c "from matrix.export_schema import schema_text as s; '
    "print(s(), end='')\" | tee docs/export-json.schema.json "
    "> src/matrix/schemas/export-json.schema.json"
)


def validator() -> Draft202012Validator:
    schema = json.loads(DOCS.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def exported(run, tmp_path: Path, plan_path: Path, results) -> dict:
    plan = load_plan(plan_path)
    store_path = tmp_path / "matrix.sqlite"
    with Store.open(store_path) as store:
        for office, period, kwargs in results:
            store.record(make_result(plan, office, period, **kwargs), plan)
    out = tmp_path / "export.json"
    result = run(
        "export", "--format", "json", "-o", out, "--plan", plan_path, "--store", store_path
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_docs_and_package_carry_the_generated_schema():
    assert DOCS.read_text(encoding="utf-8") == schema_text(), REGENERATE
    assert files("matrix").joinpath(PACKAGED).read_text(encoding="utf-8") == schema_text(), (
        REGENERATE
    )


def test_every_column_is_described_and_versioned():
    assert set(DESCRIPTIONS) == {c.key for c in COLUMNS}
    schema = json_schema()
    assert schema["properties"]["schema_version"] == {
        "const": JSON_SCHEMA_VERSION,
        "description": "Version of this layout.",
    }
    assert schema["$defs"]["Row"]["required"] == [c.key for c in COLUMNS]


@pytest.mark.parametrize(
    "plan_path, results",
    [
        (
            SUDAN,
            [
                ("SDN", "2026-07", {"actual": 3}),
                ("SDN", "2026-08", {"actual": None, "proposed": 2}),
            ],
        ),
        (
            DAR,
            [
                ("EHAGL", "2026-Q3", {"proposed": 1}),
                ("KEN", "2026-Q4", {"actual": 7.5, "comments": "=1+1"}),
            ],
        ),
    ],
    ids=["sudan", "dar"],
)
def test_real_exports_satisfy_the_schema(run, tmp_path, plan_path, results):
    document = exported(run, tmp_path, plan_path, results)
    assert document["rows"] and document["proposed_activities"]
    assert [e.message for e in validator().iter_errors(document)] == []


def test_the_schema_catches_a_changed_layout(run, tmp_path):
    document = exported(run, tmp_path, SUDAN, [("SDN", "2026-07", {})])
    document["rows"][0]["actual"] = "six"
    document["rows"][1]["surprise"] = 1
    del document["rows"][2]["period"]
    document["schema_version"] = JSON_SCHEMA_VERSION + 1
    errors = sorted(e.message for e in validator().iter_errors(document))
    assert len(errors) == 4
    assert any("'six' is not of type" in e for e in errors)
    assert any("surprise" in e for e in errors)
    assert any("'period' is a required property" in e for e in errors)
