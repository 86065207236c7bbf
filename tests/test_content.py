"""The texts that ship with matrix: guidance per action point in every language, translated
framework titles, and the demo offices' narratives, complete and in the shape code reads."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from importlib.resources import files
from typing import Annotated, Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from matrix.demo import MISSING, PERIODS
from matrix.frameworks import builtin_framework, builtin_names
from matrix.i18n import LANGUAGES, catalogue
from matrix.models.plan import Status
from matrix.plan import load_plan, plan_index

MAX_SUGGESTION = 300
"""Characters in one suggestion: a few lines in a Guide sheet cell, not a paragraph."""
MAX_OVERVIEW = 500
"""Characters under one overview heading: 1-3 sentences."""


def _guidance(framework_id: str):
    return [(ap, ap.guidance) for ap in builtin_framework(framework_id).action_points]


SIZES = [("stakeholders", 3, 6), ("unhcr_support", 2, 5)]
"""How many items each part holds per action point."""


@pytest.mark.parametrize("framework_id", builtin_names())
@pytest.mark.parametrize(("part", "fewest", "most"), SIZES)
def test_every_action_point_has_guidance_in_every_language(framework_id, part, fewest, most):
    for ap, guidance in _guidance(framework_id):
        assert guidance is not None, ap.id
        by_language = getattr(guidance, part)
        assert sorted(by_language) == sorted(LANGUAGES), (ap.id, part)
        counts = {lang: len(items) for lang, items in by_language.items()}
        # translations line up one to one
        assert len(set(counts.values())) == 1, (ap.id, part, counts)
        assert fewest <= counts["en"] <= most, (ap.id, part, counts)
        for lang, items in by_language.items():
            assert len(set(items)) == len(items), (ap.id, part, lang)
            for item in items:
                assert item.strip() and len(item) <= MAX_SUGGESTION, (ap.id, part, lang, item)
                assert item.endswith("."), (ap.id, part, lang, item)


def _is_arabic(text: str) -> bool:
    letters = [c for c in text if unicodedata.category(c).startswith("L")]
    return sum("ARABIC" in unicodedata.name(c, "") for c in letters) > 0.8 * len(letters)


@pytest.mark.parametrize("framework_id", builtin_names())
def test_guidance_is_translated_not_copied(framework_id):
    for ap, guidance in _guidance(framework_id):
        for part in (guidance.stakeholders, guidance.unhcr_support):
            for index, english in enumerate(part["en"]):
                assert english not in (part["fr"][index], part["es"][index]), (ap.id, english)
                assert part["fr"][index] != part["es"][index], (ap.id, english)
                assert _is_arabic(part["ar"][index]), (ap.id, part["ar"][index])


def _framework_keys(framework_id: str) -> dict[str, str]:
    """Catalogue key -> the English text the framework file holds for it."""
    framework = builtin_framework(framework_id)
    keys = {f"framework.{framework_id}.title": framework.title}
    for ap in framework.action_points:
        keys[f"framework.{framework_id}.{ap.id}"] = ap.title
        keys[f"framework.{framework_id}.{ap.id}.description"] = ap.description
    return keys


@pytest.mark.parametrize("framework_id", builtin_names())
def test_framework_titles_and_descriptions_are_in_every_catalogue(framework_id):
    keys = _framework_keys(framework_id)
    for key, english in keys.items():
        assert catalogue("en")[key] == english, key  # the catalogue and the framework file agree
        for lang in LANGUAGES:
            assert catalogue(lang)[key].strip(), (lang, key)
    for key in keys:
        texts = [catalogue(lang)[key] for lang in LANGUAGES]
        assert len(set(texts)) == len(texts), (key, texts)
        assert _is_arabic(catalogue("ar")[key]), key


PLAN_WITH_OWN_GUIDANCE = """\
schema_version: 1
id: own-guidance
title: A plan with its own framework and guidance
scope: national
framework:
  id: own
  title: Our own areas
  action_points:
    - number: 1
      id: A1
      title: Coordination
      guidance:
        stakeholders:
          en: ["Meet every month."]
          fr: ["Se réunir chaque mois."]
        unhcr_support:
          en: ["Chair the meetings."]
countries: [KEN]
reporting: {frequency: quarterly, first_period: 2026-Q3}
actors: [{id: GOV, name: Government, type: government}]
"""


def test_a_plan_can_give_its_own_action_points_guidance(run, tmp_path):
    (tmp_path / "plan.yaml").write_text(PLAN_WITH_OWN_GUIDANCE, encoding="utf-8")
    result = run("plan", "check", "plan.yaml")
    assert result.exit_code == 0, result.output
    [ap] = plan_index(load_plan(tmp_path / "plan.yaml")).framework.action_points
    assert ap.guidance.stakeholders == {
        "en": ["Meet every month."],
        "fr": ["Se réunir chaque mois."],
    }
    assert ap.guidance.unhcr_support == {"en": ["Chair the meetings."]}


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        # a bad key is reported on its own line
        (("          fr:", "          FR:"), 15, "'FR'"),
        (('en: ["Chair the meetings."]', "en: []"), 17, "has 0 items, fewer than the 1 required"),
        (("      guidance:\n", "      guidance:\n        donors: {en: [Go.]}\n"), 13, "donors"),
    ],
)
def test_malformed_guidance_is_reported_at_its_line(run, tmp_path, change, line, words):
    (tmp_path / "plan.yaml").write_text(PLAN_WITH_OWN_GUIDANCE.replace(*change), encoding="utf-8")
    result = run("plan", "check", "plan.yaml")
    assert result.exit_code == 1
    rows = result.output.splitlines()
    assert any(f"plan.yaml:{line} " in row and words in row for row in rows), result.output


def test_guidance_is_part_of_the_plan_version_only_when_present(tmp_path):
    """Plans written before guidance existed keep their version, so their workbooks still match."""
    with_guidance = tmp_path / "with.yaml"
    with_guidance.write_text(PLAN_WITH_OWN_GUIDANCE, encoding="utf-8")
    without = tmp_path / "without.yaml"
    text = re.sub(r"      guidance:\n(?:        .*\n)+", "", PLAN_WITH_OWN_GUIDANCE)
    without.write_text(text, encoding="utf-8")
    plain = load_plan(without)
    assert plan_index(plain).framework.action_points[0].guidance is None
    assert '"guidance"' not in plain.model_dump_json()
    assert load_plan(with_guidance).content_hash() != plain.content_hash()


# --- the demo offices' narratives -----------------------------------------------------------------

Sentence = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=20, max_length=MAX_OVERVIEW)
]
Heading = Literal[
    "main_trends", "key_developments", "challenges_and_gaps", "priorities_next_period"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Initiative(Strict):
    ref: str
    title: str
    action_point: str
    actors: list[str] = Field(min_length=1)
    start: date
    end: date | None
    status: Status

    @model_validator(mode="after")
    def _ends_after_it_starts(self):
        assert self.end is None or self.start <= self.end, self.title
        return self


class Link(Strict):
    title: str
    url: Annotated[str, StringConstraints(pattern=r"^https://www\.(unhcr|refworld)\.org/\S+$")]


class GoodPractice(Strict):
    activity: str | None = None
    initiative: str | None = None
    title: str
    background: Sentence
    actors: list[str] = Field(min_length=1)
    actions: list[str] = Field(min_length=2)
    review: Sentence
    further_information: list[Link]

    @model_validator(mode="after")
    def _flags_one_thing(self):
        assert (self.activity is None) != (self.initiative is None), self.title
        return self


class OfficePeriod(Strict):
    overview: dict[Heading, Sentence]
    initiatives: list[Initiative] = Field(min_length=1, max_length=3)
    good_practices: list[GoodPractice] = Field(default_factory=list)


class Narratives(Strict):
    headings: list[Heading]
    offices: dict[str, dict[str, OfficePeriod]]


@pytest.fixture(scope="module")
def narratives() -> Narratives:
    text = files("matrix").joinpath("demo_data/narratives.yaml").read_text(encoding="utf-8")
    return Narratives.model_validate(yaml.safe_load(text))


def test_narratives_cover_every_return_the_demo_sends(narratives, dar):
    plan = dar
    offices = [*plan.countries, plan.region.code]
    assert list(narratives.offices) == offices
    for office in offices:
        expected = [period for period in PERIODS if (office, period) not in MISSING]
        assert list(narratives.offices[office]) == expected, office


def test_every_overview_has_the_default_headings_in_order(narratives):
    assert narratives.headings == list(Heading.__args__)
    for office, periods in narratives.offices.items():
        for period, entry in periods.items():
            assert list(entry.overview) == narratives.headings, (office, period)
            for heading, text in entry.overview.items():
                sentences = len(re.findall(r"[.!?](?:\s|$)", text))
                assert 1 <= sentences <= 3, (office, period, heading, text)


def test_initiatives_are_on_the_framework_and_keep_their_ref_across_periods(narratives):
    areas = {ap.id for ap in builtin_framework("dar-es-salaam-2010").action_points}
    for office, periods in narratives.offices.items():
        titles: dict[str, str] = {}
        for period, entry in periods.items():
            refs = [i.ref for i in entry.initiatives]
            assert len(set(refs)) == len(refs), (office, period)
            for initiative in entry.initiatives:
                assert initiative.action_point in areas, (office, initiative.title)
                first_title = titles.setdefault(initiative.ref, initiative.title)
                assert first_title == initiative.title, (office, period)


def test_two_good_practices_one_on_a_plan_activity_one_on_an_initiative(narratives, dar):
    plan = dar
    activities = {a.id: a for _, a in plan.activities()}
    found = []
    for office, periods in narratives.offices.items():
        for period, entry in periods.items():
            for practice in entry.good_practices:
                if practice.activity is not None:
                    activity = activities[practice.activity]
                    assert office in plan.activity_countries(activity), (office, practice.activity)
                    found.append("activity")
                else:
                    refs = {i.ref for i in entry.initiatives}
                    assert practice.initiative in refs, (office, period)
                    found.append("initiative")
    assert sorted(found) == ["activity", "initiative"]
