"""Everything at once: schema problems do not hide cross-reference problems, and a value that failed
does not cascade into findings that only repeat it."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkout import DAR, SUDAN
from matrix.plan import check_plan_file
from test_plan import MINIMAL, write
from test_plan_schema import LIBRARY_WORDS


def found(tmp_path, text) -> set[tuple[str, int | None]]:
    return {(i.code, i.line) for i in check_plan_file(write(tmp_path, text)) if i.is_error}


def test_a_bad_id_does_not_hide_an_unknown_lead_named_as_the_plan_wrote_it(tmp_path):
    text = MINIMAL.replace("id: AP3-1", "id: A1.1").replace("lead: UNHCR", "lead: UNHRC")
    issues = [i for i in check_plan_file(write(tmp_path, text)) if i.is_error]
    assert [(i.code, i.line) for i in issues] == [("invalid-id", 17), ("unknown-actor", 19)]
    assert issues[1].message.startswith("activity A1.1: lead actor 'UNHRC'")


def test_cross_references_are_checked_beside_a_missing_field_and_a_wrong_type(tmp_path):
    text = (
        MINIMAL.replace("title: Test plan\n", "")
        .replace("target: 120", "target: lots")
        .replace("partners: [IOM]", "partners: [IMO]")
        .replace("[SDN]", "[SDN, XYZ]")
    )
    assert found(tmp_path, text) == {
        ("missing-field", 1),
        ("unknown-country", 4),
        ("unknown-actor", 19),
        ("number-expected", 21),
    }


def test_an_objective_left_out_keeps_the_lines_of_what_follows(tmp_path):
    text = MINIMAL.replace("objectives:\n", "objectives:\n  - just a title\n").replace(
        "lead: UNHCR", "lead: UNHRC"
    )
    assert found(tmp_path, text) == {("mapping-expected", 13), ("unknown-actor", 20)}


def test_an_actor_that_failed_is_still_an_actor_for_the_activities(tmp_path):
    broken_type = MINIMAL.replace("type: UN agency}", "type: agency}")
    assert found(tmp_path, broken_type) == {("invalid-choice", 10)}
    not_a_mapping = MINIMAL.replace("- {id: UNHCR, name: UNHCR, type: UN agency}", "- UNHCR")
    assert found(tmp_path, not_a_mapping) == {("mapping-expected", 10)}


def test_actors_missing_altogether_are_one_error_not_one_per_activity(tmp_path):
    text = MINIMAL.replace("actors:\n", "actorz:\n")
    assert found(tmp_path, text) == {("missing-field", 1), ("unknown-field", 9)}


def test_a_broken_framework_does_not_make_every_objective_s_action_point_unknown(tmp_path):
    text = MINIMAL.replace(
        "countries: [SDN]",
        """framework:
  id: own
  title: Own areas
  action_points:
    - {number: one, id: SEC, title: Security}
countries: [SDN]""",
    ).replace("action_point: AP3", "action_point: SEC")
    issues = check_plan_file(write(tmp_path, text))
    assert {(i.code, i.line) for i in issues} == {("number-expected", 9)}


def test_a_reporting_calendar_that_failed_is_not_also_a_period_mismatch(tmp_path):
    text = MINIMAL.replace("frequency: quarterly", "frequency: quartely")
    assert found(tmp_path, text) == {("invalid-choice", 7)}


def test_a_misspelt_lead_is_not_also_an_activity_without_lead(tmp_path):
    text = MINIMAL.replace("        lead: UNHCR\n", "        leed: UNHCR\n")
    assert [
        (i.code, i.fix)
        for i in check_plan_file(write(tmp_path, text))
        if not i.code.startswith("action-point")
    ] == [("unknown-field", "lead")]


def test_a_target_that_failed_is_not_also_an_indicator_without_target(tmp_path):
    text = MINIMAL.replace("target: 120", "target: 120 people")
    assert [
        i.code
        for i in check_plan_file(write(tmp_path, text))
        if not i.code.startswith("action-point")
    ] == ["number-expected"]


def test_a_partner_that_failed_is_reported_once_and_the_others_are_checked(tmp_path):
    text = MINIMAL.replace("partners: [IOM]", "partners: ['UN HCR', IMO]")
    assert sorted(i.code for i in check_plan_file(write(tmp_path, text)) if i.is_error) == [
        "invalid-id",
        "unknown-actor",
    ]


def test_a_stand_in_id_is_not_a_duplicate_of_the_id_it_suggests(tmp_path):
    text = (
        MINIMAL.replace("id: AP3-1", "id: AP3.1")
        + """\
      - id: AP3-1
        title: Reception
        lead: IOM
        indicators: [{name: Centres, unit: centres, target: 2}]
"""
    )
    assert found(tmp_path, text) == {("invalid-id", 17)}


def test_schema_and_cross_reference_findings_come_in_line_order(tmp_path):
    text = MINIMAL.replace("lead: UNHCR", "lead: UNHRC").replace("target: 120", "target: many")
    lines = [i.line for i in check_plan_file(write(tmp_path, text))]
    assert lines == sorted(lines)


# --- any mistake, anywhere ---------------------------------------------------------------------

EXAMPLES = [
    yaml.safe_load(SUDAN.read_text(encoding="utf-8")),
    yaml.safe_load(DAR.read_text(encoding="utf-8")),
]
JUNK = st.sampled_from(
    [
        None,
        "x",
        "",
        5,
        -1,
        2.5,
        True,
        [],
        {},
        ["x", 3],
        {"a": 1},
        "A.1",
        "all",
        "2026-02-30",
        "AP11",
        {"amount": 5, "currency": "EUR"},
    ]
)


def places(node, path=()):
    if path:
        yield path
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield from places(value, (*path, key))


@st.composite
def broken_plans(draw):
    """An example plan with one to five values replaced by junk, or keys deleted or misspelt."""
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(1, 5))):
        path = draw(st.sampled_from(list(places(data))))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["junk", "junk", "delete", "misspell"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "misspell" and isinstance(parent, dict):
            parent[f"{path[-1]}x"] = parent.pop(path[-1])
        else:
            parent[path[-1]] = draw(JUNK)
    return data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(broken_plans())
def test_any_broken_plan_is_reported_on_its_lines_in_plain_words_without_a_traceback(
    tmp_path, data
):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    issues = check_plan_file(path)
    assert all(issue.line is not None for issue in issues)
    assert not [i.message for i in issues if any(w in i.message.lower() for w in LIBRARY_WORDS)]


# --- the command line, end to end ---------------------------------------------------------------

TEN_MISTAKES = """\
schema_version: 1
id: ten-mistakes
title: A plan with ten mistakes
scope: national
countries: [SDN, ETJ]                          # 1 ETH mistyped; activities use ETH
reporting:
  frequency: annual
  first_period: 2026                           # accepted: a year is a period
actors:
  - {id: UNHCR, name: UNHCR, type: UN agencyy} # 2 not an actor type
  - {id: IOM, name: IOM, type: international organisation}
objectives:
  - id: O1
    action_point: AP11                         # 3 the framework has ten
    title: Data collection
    activities:
      - id: A1.1                               # 4 ids have no dots
        title: Joint assessment
        lead: UNHRC                            # 5 not among the actors
        partnrs: [IOM]                         # 6 not a field
        countries: all                         # accepted: every country of the plan
        indicators:
          - {name: Assessments, unit: reports, target: lots}   # 7 not a number
        start: July                            # 8 not a date
        end: 2026-12-31
  - id: O2
    action_point: AP3
    title: Safe entry
    activities:
      - id: A3-1
        title: Train border officials
        lead: UNHCR
        countries: [ETH]
        indicators:
          - {name: Officials trained, unit: people, target: 120}
        start: 2026-07-01
        end: 2026-01-31                        # 9 before its start
        budget: {amount: 250000, currency: EUR}  # 10 the amount alone
"""


def mistakes(text: str) -> dict[int, str]:
    """Line -> mistake number, from the `# n` comments."""
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        comment = line.partition("#")[2].split()
        if comment and comment[0].isdigit():
            out[number] = comment[0]
    return out


def test_ten_mistakes_of_ten_kinds_are_all_reported_in_one_run(run, tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEN_MISTAKES, encoding="utf-8")
    result = run("plan", "check", plan)
    assert result.exit_code == 1
    errors = [line.split("  ") for line in result.stdout.splitlines() if "  error  " in line]
    reported = {int(where.rpartition(":")[2]): code for where, _, code, _ in errors}
    assert set(reported) == set(mistakes(TEN_MISTAKES)), result.stdout
    assert sorted(reported.values()) == sorted(
        [
            "unknown-country",
            "invalid-choice",
            "unknown-action-point",
            "invalid-id",
            "unknown-actor",
            "unknown-field",
            "number-expected",
            "invalid-date",
            "end-before-start",
            "budget-not-an-amount",
        ]
    )
    assert "10 errors" in result.stderr
    for word in (
        "did you mean 'ETH'?",
        "write 'A1-1'",
        "whose action points are AP1, AP2",
        "`budget: 250000` and `currency: EUR`",
        "did you mean 'partners'?",
    ):
        assert word in result.stdout
    assert "country-not-in-plan" not in result.stdout and "did you mean 'AP1'" not in result.stdout
