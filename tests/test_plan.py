"""Loading plans: YAML problems, schema problems, line numbers, and the examples."""

from __future__ import annotations

import textwrap

import pytest

from checkout import DAR, EXAMPLES, SUDAN
from matrix import PlanError, load_plan
from matrix.codes import Code
from matrix.plan import check_plan_file

MINIMAL = """\
schema_version: 1
id: test-plan
title: Test plan
scope: national
countries: [SDN]
reporting:
  frequency: quarterly
  first_period: 2026-Q3
actors:
  - {id: UNHCR, name: UNHCR, type: UN agency}
  - {id: IOM, name: IOM, type: international organisation}
objectives:
  - id: O1
    action_point: AP3
    title: Safe entry
    activities:
      - id: AP3-1
        title: Train border officials
        lead: UNHCR
        partners: [IOM]
        indicators:
          - {name: Officials trained, unit: people, target: 120}
        start: 2026-07-01
        end: 2026-12-31
"""


def write(tmp_path, text: str, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(issues):
    return [(i.code, i.line) for i in issues if i.is_error]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_plan_loads_without_errors(example):
    plan = load_plan(example)
    assert plan.activities()
    assert not [i for i in check_plan_file(example) if i.is_error]


def test_examples_cover_a_national_and_a_regional_plan():
    assert load_plan(SUDAN).scope == "national"
    regional = load_plan(DAR)
    assert regional.scope == "regional" and len(regional.countries) > 1
    assert any(a.regional for _, a in regional.activities())


def test_minimal_plan_is_valid_and_names_the_framework_gaps(tmp_path):
    issues = check_plan_file(write(tmp_path, MINIMAL))
    assert not [i for i in issues if i.is_error]
    gaps = {i.message.split()[2] for i in issues if i.code == Code.EMPTY_ACTION_POINT.slug}
    assert gaps == {f"AP{n}" for n in range(1, 11)} - {"AP3"}


def test_actor_type_and_scope_accept_how_people_type_them(tmp_path):
    plan = load_plan(write(tmp_path, MINIMAL.replace("scope: national", "scope: National")))
    assert [a.type.value for a in plan.actors] == ["un_agency", "international_organisation"]


def test_empty_file_says_to_start_from_init(tmp_path):
    issues = check_plan_file(write(tmp_path, ""))
    assert [i.code for i in issues] == ["plan-empty"]
    assert "matrix init" in issues[0].message


def test_comment_only_file_is_empty_too(tmp_path):
    assert [i.code for i in check_plan_file(write(tmp_path, "# nothing yet\n"))] == ["plan-empty"]


def test_invalid_yaml_names_the_line(tmp_path):
    text = MINIMAL.replace("title: Test plan", "title: [Test plan")
    issues = check_plan_file(write(tmp_path, text))
    assert [i.code for i in issues] == ["yaml-syntax"]
    assert issues[0].line is not None and issues[0].line >= 3


def test_a_list_is_not_a_plan(tmp_path):
    assert [i.code for i in check_plan_file(write(tmp_path, "- a\n- b\n"))] == ["plan-not-mapping"]


def test_missing_and_unknown_fields_are_all_reported_with_lines(tmp_path):
    text = MINIMAL.replace("title: Test plan\n", "").replace(
        "        lead: UNHCR\n", "        leed: UNHCR\n"
    )
    issues = check_plan_file(write(tmp_path, text))
    found = {(i.code, i.line) for i in issues}
    assert ("missing-field", 1) in found
    unknown = next(i for i in issues if i.code == "unknown-field")
    assert unknown.line == 18 and unknown.fix == "lead"
    assert "activity AP3-1" in unknown.message and "did you mean 'lead'" in unknown.message


def test_wrong_types_point_at_the_value(tmp_path):
    text = MINIMAL.replace("target: 120", "target: lots").replace(
        "start: 2026-07-01", "start: July"
    )
    issues = check_plan_file(write(tmp_path, text))
    assert {(i.code, i.line) for i in issues} >= {("number-expected", 22), ("invalid-date", 23)}


def test_unsupported_schema_version(tmp_path):
    issues = check_plan_file(
        write(tmp_path, MINIMAL.replace("schema_version: 1", "schema_version: 7"))
    )
    assert codes(issues) == [("unsupported-schema-version", 1)]


def test_duplicate_yaml_key_is_reported(tmp_path):
    issues = check_plan_file(
        write(tmp_path, MINIMAL.replace("scope: national\n", "scope: national\nscope: regional\n"))
    )
    assert ("duplicate-key", 5) in codes(issues)


def test_load_plan_raises_one_plan_error_with_every_issue(tmp_path):
    text = MINIMAL.replace("lead: UNHCR", "lead: UNHRC").replace("[SDN]", "[SUD]")
    with pytest.raises(PlanError) as raised:
        load_plan(write(tmp_path, text))
    assert {i.code for i in raised.value.issues if i.is_error} == {
        "unknown-actor",
        "unknown-country",
    }
    assert "matrix plan check" in str(raised.value)


def test_unreadable_bytes_are_an_issue_not_a_traceback(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage\x80")
    assert [i.code for i in check_plan_file(path)] == ["plan-unreadable"]


def test_content_hash_changes_with_the_plan(tmp_path):
    one = load_plan(write(tmp_path, MINIMAL))
    two = load_plan(write(tmp_path, MINIMAL.replace("target: 120", "target: 80"), "other.yaml"))
    assert one.content_hash() != two.content_hash()
    assert one.content_hash() == load_plan(write(tmp_path, MINIMAL, "again.yaml")).content_hash()


IATI = """\
iati:
  reporting_org: {ref: XM-DAC-41121, type: 40, name: UNHCR}
  default_language: fr
"""


def test_iati_settings_are_checked_with_their_lines(tmp_path):
    text = MINIMAL.replace("type: UN agency}", "type: UN agency, iati_ref: UNHCR, iati_type: 41}")
    text += IATI.replace("type: 40", "type: 99")
    issues = [i for i in check_plan_file(write(tmp_path, text)) if i.is_error]
    assert [(i.code, i.line) for i in issues] == [
        ("invalid-choice", 10),
        ("invalid-value", 10),
        ("invalid-choice", 26),
    ]
    assert "expected an IATI organisation identifier like XM-DAC-41121" in issues[1].message
    assert "'41' is not one of" in issues[0].message and ", 40, " in issues[0].message
    assert issues[2].message.startswith("iati.reporting_org: type '99' is not one of")


def test_iati_settings_load_and_keep_the_plan_version(tmp_path):
    plain = load_plan(write(tmp_path, MINIMAL))
    text = MINIMAL.replace("type: UN agency}", "type: UN agency, iati_ref: XM-DAC-41121}") + IATI
    published = load_plan(write(tmp_path, text, "published.yaml"))
    assert published.iati.reporting_org.type == "40" and published.iati.default_language == "fr"
    assert published.actors[0].iati_ref == "XM-DAC-41121"
    assert published.content_hash() == plain.content_hash()  # returns in flight still match
