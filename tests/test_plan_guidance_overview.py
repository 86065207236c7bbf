"""A plan's own guidance per action point and its overview headings: checked with their lines,
and part of the plan's version only when given, so older plans keep theirs."""

from __future__ import annotations

import pytest

from matrix.models.plan import OVERVIEW_DEFAULT_HEADINGS
from matrix.overview import overview_headings
from matrix.plan import check_plan_file, load_plan
from test_plan import MINIMAL, write

SECTIONS = """\
guidance:
  AP3:
    stakeholders: {en: [Meet at the border.]}
  5:
    replace: true
    unhcr_support: {fr: [Former les agents.]}
overview:
  required: true
  max_length: 600
  headings:
    - main_trends
    - {id: key_developments, required: false, max_length: 2000}
    - id: security
      title: {en: Security incidents, ar: الحوادث الأمنية}
"""


def test_a_plan_gives_guidance_and_overview_headings(tmp_path):
    plan = load_plan(write(tmp_path, MINIMAL + SECTIONS))
    assert set(plan.guidance) == {
        "AP3",
        "5",
    }  # YAML's 5 is a number; action points are named by text
    headings = overview_headings(plan)
    assert [(h.id, h.required, h.max_length) for h in headings] == [
        ("main_trends", True, 600),
        ("key_developments", False, 2000),
        ("security", True, 600),
    ]
    assert [h.label("ar") for h in headings][2] == "الحوادث الأمنية"
    assert headings[2].label("fr") == "Security incidents"  # no French title: English
    assert headings[2].hint_text("en") == "" and headings[0].hint_text("en")


def test_without_an_overview_block_the_four_headings_are_optional(tmp_path):
    headings = overview_headings(load_plan(write(tmp_path, MINIMAL)))
    assert tuple(h.id for h in headings) == OVERVIEW_DEFAULT_HEADINGS
    assert {(h.required, h.max_length) for h in headings} == {(False, 1000)}


@pytest.mark.parametrize(
    ("change", "code", "line", "words"),
    [
        (("  AP3:\n", "  AP33:\n"), "guidance-unknown-action-point", 26, "are AP1, AP2, AP3,"),
        (("  AP3:\n", "  Ap-03:\n"), "guidance-unknown-action-point", 26, "did you mean 'AP3'"),
        (("  5:\n", "  12:\n"), "guidance-unknown-action-point", 28, "'12'"),
        (
            ("      title: {en: Security incidents, ar: الحوادث الأمنية}\n", ""),
            "overview-heading-unknown",
            37,
            "'security' is not built in",
        ),
        (
            ("    - main_trends\n", "    - main_trends\n    - main_trends\n"),
            "duplicate-id",
            36,
            "overview heading",
        ),
        (
            ("  max_length: 600", "  max_length: 20"),
            "number-too-small",
            33,
            "max_length is 20, but it must be 50 or more",
        ),
        (
            ("    stakeholders: {en: [Meet at the border.]}", "    stakeholders: {EN: [Meet.]}"),
            "invalid-language",
            27,
            "'EN' is not a language code",
        ),
    ],
)
def test_mistakes_are_reported_at_their_line(tmp_path, change, code, line, words):
    issues = [
        i
        for i in check_plan_file(write(tmp_path, MINIMAL + SECTIONS.replace(*change)))
        if i.is_error
    ]
    assert [(i.code, i.line) for i in issues] == [(code, line)], [i.render() for i in issues]
    assert words in issues[0].message


def test_the_sections_are_part_of_the_version_only_when_given(tmp_path):
    plain = load_plan(write(tmp_path, MINIMAL, "plain.yaml"))
    dumped = plain.model_dump_json()
    assert '"guidance"' not in dumped and '"overview"' not in dumped
    with_guidance = load_plan(
        write(tmp_path, MINIMAL + SECTIONS.split("overview:")[0], "guidance.yaml")
    )
    with_overview = load_plan(
        write(tmp_path, MINIMAL + "overview:" + SECTIONS.split("overview:")[1], "o.yaml")
    )
    hashes = {p.content_hash() for p in (plain, with_guidance, with_overview)}
    assert len(hashes) == 3
    explicit = load_plan(write(tmp_path, MINIMAL + "overview: {}\n", "explicit.yaml"))
    assert explicit.content_hash() != plain.content_hash()  # written out, even as the defaults
