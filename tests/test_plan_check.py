"""Cross-reference checks: each kind of mistake gets its code, its line and a fix where
guessable."""

from __future__ import annotations

from matrix.codes import Code, did_you_mean
from matrix.i18n import phrase
from matrix.plan import check_plan_file, load_plan, plan_index
from test_plan import MINIMAL, write


def errors(tmp_path, text):
    return [i for i in check_plan_file(write(tmp_path, text)) if i.is_error]


def test_dangling_lead_actor_suggests_the_closest_id(tmp_path):
    text = MINIMAL.replace("- {id: IOM,", "- {id: IOM,").replace(
        "partners: [IOM]", "partners: [IOMM]"
    )
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line, issue.fix) == ("unknown-actor", 20, "IOM")
    assert (
        issue.message
        == "activity AP3-1: partner 'IOMM' is not among the actors; did you mean 'IOM'?"
    )
    assert issue.params == {
        "activity": "AP3-1",
        "role": phrase("plan.role.partner"),
        "actor": "IOMM",
        "hint": did_you_mean(["IOM"]),
    }


def test_lead_actor_differing_only_in_case_is_suggested(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("lead: UNHCR", "lead: unhcr"))
    assert issue.code == "unknown-actor" and issue.fix == "UNHCR" and issue.line == 19


def test_duplicate_ids_point_at_the_second_and_name_the_first(tmp_path):
    text = MINIMAL.replace("{id: IOM, name: IOM", "{id: UNHCR, name: IOM").replace(
        "partners: [IOM]", "partners: []"
    )
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line) == ("duplicate-id", 11)
    assert "first at line 10" in issue.message


def test_duplicate_activity_ids_across_objectives(tmp_path):
    text = (
        MINIMAL
        + """\
  - id: O2
    action_point: AP4
    title: Reception
    activities:
      - id: AP3-1
        title: Reception centres
        lead: IOM
        indicators: [{name: Centres, unit: centres, target: 2}]
"""
    )
    assert [(i.code, i.line) for i in errors(tmp_path, text)] == [("duplicate-id", 29)]


def test_unknown_country_code_suggests_iso_code_from_a_name(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("[SDN]", "[Sudan]"))
    assert (issue.code, issue.line) == ("unknown-country", 5)
    assert "did you mean 'SDN'?" in issue.message


def test_activity_country_outside_the_plan(tmp_path):
    text = MINIMAL.replace(
        "        partners: [IOM]\n", "        partners: [IOM]\n        countries: [ETH]\n"
    )
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line) == ("country-not-in-plan", 21)


def test_end_before_start(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("end: 2026-12-31", "end: 2026-01-31"))
    assert (issue.code, issue.line) == ("end-before-start", 24)


def test_target_without_unit_is_an_error_and_no_target_a_warning(tmp_path):
    text = MINIMAL.replace(
        "{name: Officials trained, unit: people, target: 120}",
        "{name: Officials trained, target: 120}\n          - {name: Reports, unit: reports}",
    )
    issues = check_plan_file(write(tmp_path, text))
    found = {
        (i.code, i.severity.value, i.line)
        for i in issues
        if i.code.startswith(("target", "indicator"))
    }
    assert found == {
        ("target-without-unit", "error", 22),
        ("indicator-without-target", "warning", 23),
    }


def test_unknown_action_point_and_framework(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("action_point: AP3", "action_point: AP33"))
    assert (issue.code, issue.line) == ("unknown-action-point", 14)
    [issue] = errors(
        tmp_path, MINIMAL.replace("countries: [SDN]", "framework: 10-point-plann\ncountries: [SDN]")
    )
    assert issue.code == "unknown-framework" and "did you mean '10-point-plan'?" in issue.message


def test_action_point_may_be_given_by_number(tmp_path):
    assert not errors(tmp_path, MINIMAL.replace("action_point: AP3", "action_point: 3"))


def test_reporting_period_must_match_frequency(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("first_period: 2026-Q3", "first_period: 2026-09"))
    assert (issue.code, issue.line) == ("period-mismatch", 8)
    assert "2026-Q3" in issue.message


def test_regional_plan_needs_a_region(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("scope: national", "scope: regional"))
    assert issue.code == "regional-without-region"


def test_a_plan_may_bring_its_own_framework(tmp_path):
    text = MINIMAL.replace(
        "countries: [SDN]",
        """framework:
  id: sudan-areas
  title: Joint strategy areas
  action_points:
    - {number: 1, id: SEC, title: Enhancing security and mitigating risks}
    - {number: 2, id: PRO, title: Strengthening protection responses for victims of trafficking}
countries: [SDN]""",
    ).replace("action_point: AP3", "action_point: SEC")
    issues = check_plan_file(write(tmp_path, text))
    assert not [i for i in issues if i.is_error]
    assert [i.message for i in issues if i.code == "action-point-without-activity"] == [
        Code.EMPTY_ACTION_POINT.message(
            ap="PRO", title="Strengthening protection responses for victims of trafficking"
        )
    ]
    assert plan_index(load_plan(write(tmp_path, text))).framework.id == "sudan-areas"


def test_every_problem_is_reported_at_once(tmp_path):
    text = (
        MINIMAL.replace("lead: UNHCR", "lead: UNHRC")
        .replace("[SDN]", "[SDN, XYZ]")
        .replace("end: 2026-12-31", "end: 2026-01-01")
        .replace("unit: people, ", "")
    )
    assert {i.code for i in errors(tmp_path, text)} == {
        "unknown-actor",
        "unknown-country",
        "end-before-start",
        "target-without-unit",
    }


def test_regional_example_has_region_wide_activities_and_no_errors(dar):
    plan = dar
    assert plan.region is not None and plan.region.code == "EHAGL"
    assert plan.activity_countries(next(a for _, a in plan.activities() if a.regional)) == []
