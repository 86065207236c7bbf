"""A plan written as YAML (what `matrix plan import` writes) reads back as the same plan and
reads like the examples."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from checkout import DAR, SUDAN
from matrix.plan import load_plan, read_plan
from matrix.plan.yaml_writer import plan_yaml
from plan_strategies import plans
from plan_workbook_helpers import rich_plan


def top_keys(text: str) -> list[str]:
    return [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=plans())
def test_generated_plans_read_back_as_written(tmp_path, plan):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_yaml(plan), encoding="utf-8")
    back, issues = read_plan(path)
    assert back == plan, [i.render() for i in issues]
    assert back.content_hash() == plan.content_hash()


def test_it_reads_like_the_examples(tmp_path):
    for example in (DAR, SUDAN):
        text = plan_yaml(load_plan(example), comment="Imported from plan.xlsx\nby matrix")
        assert text.startswith("# Imported from plan.xlsx\n# by matrix\nschema_version: 1\n")
        assert top_keys(text) == top_keys(example.read_text(encoding="utf-8"))
    text = plan_yaml(load_plan(SUDAN))
    assert (
        "  - id: UNODC\n    name:\n      en: United Nations Office on Drugs and Crime\n"
        "      ar: مكتب الأمم المتحدة المعني بالمخدرات والجريمة\n    type: un_agency\n" in text
    )
    assert "        partners: [IOM, UNFPA, UNODC, UNICEF, GOS-NCCT]\n" in text
    assert "        start: 2026-07-01\n" in text  # a date, not a quoted text, and no anchors
    assert (  # too long for one line, so a block; and no defaults written out
        "          - name: {en: Task force meetings held, ar: اجتماعات فرقة العمل المعقودة}\n"
        "            unit: {en: meetings, ar: اجتماعات}\n"
        "            target: 12\n"
        "            kind: count\n"
        "            periods: cumulative\n"
        "        start:"
    ) in text
    assert "description" not in text and "regional" not in text
    assert "\n\n  - id: O2\n" in text  # objectives apart


def test_text_that_looks_like_something_else_stays_text(tmp_path):
    plan = rich_plan()
    objective = plan.objectives[0]
    tricky = objective.model_copy(
        update={
            "title": "yes",
            "activities": [
                objective.activities[0].model_copy(
                    update={"title": "2026", "description": "null\n- not a list\n"}
                ),
            ],
        }
    )
    plan = plan.model_copy(update={"objectives": [tricky]})
    path = tmp_path / "plan.yaml"
    path.write_text(plan_yaml(plan), encoding="utf-8")
    assert load_plan(path) == plan
    assert "description: |" in path.read_text(encoding="utf-8")  # several lines: a literal block
