"""Schema problems in plain words: each kind of mistake has its code, its line and what to write,
never pydantic's wording; and what people write that means something obvious is accepted."""

from __future__ import annotations

import pytest

from matrix.codes import Code
from matrix.plan import check_plan_file, load_plan
from matrix.plan.schema import ERROR_CODES, suggest_id
from test_plan import MINIMAL, write

LIBRARY_WORDS = (
    "input should",
    "valid number",
    "valid list",
    "string should",
    "pattern",
    "[type=",
    "errors.pydantic.dev",
    "value error",
)


def errors(tmp_path, text):
    return [i for i in check_plan_file(write(tmp_path, text)) if i.is_error]


def with_activity_lines(*lines: str) -> str:
    """MINIMAL with `lines` added to its activity, after `partners:` (line 21 on)."""
    added = "".join(f"        {line}\n" for line in lines)
    return MINIMAL.replace("        partners: [IOM]\n", "        partners: [IOM]\n" + added)


def test_an_id_with_a_dot_says_what_ids_are_made_of_and_suggests_one(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("id: AP3-1", "id: A1.1"))
    assert (issue.code, issue.line, issue.fix) == ("invalid-id", 17, "A1-1")
    assert issue.message == Code.INVALID_ID.message(
        where="activity A1.1", field="id", found="A1.1", suggestion="A1-1"
    )
    assert "letters, digits, '-' and '_'" in issue.message


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("A1.1", "A1-1"),
        ("Border training 2", "Border-training-2"),
        ("Activité 3", "Activite-3"),
        (".hidden", "hidden"),
        ("x" * 45, "x" * 40),
        ("...", "A1"),
    ],
)
def test_suggested_ids_are_ids(written, suggested):
    assert suggest_id(written) == suggested


def test_a_lead_written_with_a_space_suggests_the_actor_it_names(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("lead: UNHCR", "lead: UN HCR"))
    assert (issue.code, issue.line, issue.fix) == ("invalid-id", 19, "UNHCR")


def test_countries_all_on_an_activity_means_every_country_of_the_plan(tmp_path):
    text = MINIMAL.replace("countries: [SDN]", "countries: [SDN, ETH]")
    every = load_plan(
        write(
            tmp_path,
            with_activity_lines("countries: all").replace(
                "countries: [SDN]", "countries: [SDN, ETH]"
            ),
            "all.yaml",
        )
    )
    omitted = load_plan(write(tmp_path, text, "omitted.yaml"))
    activity = every.objectives[0].activities[0]
    assert every.activity_countries(activity) == ["SDN", "ETH"]
    assert every.content_hash() == omitted.content_hash()  # the same plan, the same version


def test_countries_all_on_the_plan_explains_what_to_list(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("countries: [SDN]", "countries: all"))
    assert (issue.code, issue.line) == ("plan-countries-all", 5)
    assert issue.message == Code.PLAN_COUNTRIES_ALL.message()


def test_countries_as_a_plain_text_suggests_the_list(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("countries: [SDN]", "countries: SDN, ETH"))
    assert (issue.code, issue.line) == ("list-expected", 5)
    assert "`countries: [SDN, ETH]`" in issue.message


def test_a_budget_given_with_its_currency_explains_budget_and_currency(tmp_path):
    text = with_activity_lines("budget: {amount: 250000, currency: EUR}")
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line) == ("budget-not-an-amount", 21)
    assert issue.message == Code.BUDGET_NOT_AN_AMOUNT.message(
        where="activity AP3-1", suggestion="`budget: 250000` and `currency: EUR`"
    )


def test_a_budget_written_as_text_is_read_for_its_suggestion(tmp_path):
    [issue] = errors(tmp_path, with_activity_lines("budget: 1,500 usd"))
    assert issue.code == "budget-not-an-amount"
    assert "`budget: 1500` and `currency: USD`" in issue.message


@pytest.mark.parametrize("frequency", ["annual", "Annual"])
def test_an_unquoted_year_is_a_first_period(tmp_path, frequency):
    text = MINIMAL.replace("frequency: quarterly", f"frequency: {frequency}")
    unquoted = load_plan(
        write(tmp_path, text.replace("first_period: 2026-Q3", "first_period: 2016"))
    )
    quoted = load_plan(
        write(
            tmp_path, text.replace("first_period: 2026-Q3", "first_period: '2016'"), "quoted.yaml"
        )
    )
    assert unquoted.reporting.first_period == "2016"
    assert unquoted.content_hash() == quoted.content_hash()


def test_a_date_as_first_period_is_told_how_a_period_is_written(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("first_period: 2026-Q3", "first_period: 2026-07-01"))
    assert (issue.code, issue.line) == ("period-mismatch", 8)
    assert issue.message == Code.PERIOD_MISMATCH.message(
        period="2026-07-01", frequency="quarterly", example="2026-Q3"
    )


def test_an_unknown_action_point_lists_the_framework_s_and_guesses_no_near_id(tmp_path):
    [issue] = errors(tmp_path, MINIMAL.replace("action_point: AP3", "action_point: AP11"))
    assert (issue.code, issue.line, issue.fix) == ("unknown-action-point", 14, None)
    known = ", ".join(f"AP{n}" for n in range(1, 11))
    assert issue.message == Code.UNKNOWN_ACTION_POINT.message(
        objective="O1", ref="AP11", framework="10-point-plan", known=known, hint=""
    )
    assert "did you mean" not in issue.message


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("AP-03", "AP3"),
        ("ap 3", "AP3"),
        ("Protection-sensitive entry system", "AP3"),
    ],
)
def test_an_action_point_written_differently_or_by_its_title_is_suggested(tmp_path, written, meant):
    [issue] = errors(tmp_path, MINIMAL.replace("action_point: AP3", f"action_point: {written}"))
    assert issue.code == "unknown-action-point" and issue.fix == meant
    assert f"did you mean '{meant}'?" in issue.message


def test_a_mistyped_plan_country_is_one_error_not_one_per_activity_using_the_right_code(tmp_path):
    text = with_activity_lines("countries: [ETH]").replace(
        "countries: [SDN]", "countries: [SDN, ETJ]"
    )
    text += """\
      - id: AP3-2
        title: Reception
        lead: IOM
        countries: [ETH, SDN]
        indicators: [{name: Centres, unit: centres, target: 2}]
"""
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line, issue.fix) == ("unknown-country", 5, "ETH")
    assert "did you mean 'ETH'?" in issue.message


def test_a_country_outside_the_plan_is_still_reported_when_no_plan_country_is_mistyped(tmp_path):
    text = with_activity_lines("countries: [ETH]").replace(
        "countries: [SDN]", "countries: [SDN, XYZ]"
    )
    found = {(i.code, i.line) for i in errors(tmp_path, text.replace("[ETH]", "[KEN]"))}
    assert found == {("unknown-country", 5), ("country-not-in-plan", 21)}


# --- one code per kind of pydantic error, in plain words --------------------------------------

KINDS = [
    (
        MINIMAL.replace("target: 120", "target: lots"),
        "number-expected",
        22,
        "target should be a number, found 'lots'",
    ),
    (
        MINIMAL.replace("target: 120", "target: -5"),
        "number-too-small",
        22,
        "target is -5, but it must be 0 or more",
    ),
    (
        MINIMAL.replace("first_period: 2026-Q3", "first_period: 2026-Q3\n  due_days: 400"),
        "number-too-large",
        9,
        "due_days is 400, but it must be 365 or less",
    ),
    (
        MINIMAL.replace("start: 2026-07-01", "start: July"),
        "invalid-date",
        23,
        "start should be a date written year-month-day, e.g. `start: 2026-09-30`, found 'July'",
    ),
    (MINIMAL.replace("start: 2026-07-01", "start: 2026-02-30"), "invalid-date", 23, "'2026-02-30'"),
    (
        MINIMAL.replace("scope: national", "scope: nationl"),
        "invalid-choice",
        4,
        "scope 'nationl' is not one of national, regional, global; did you mean 'national'?",
    ),
    (
        with_activity_lines("regional: maybe"),
        "true-or-false-expected",
        21,
        "regional should be true or false, found 'maybe'",
    ),
    (
        MINIMAL.replace("title: Safe entry", "title: {en: Safe entry, fr: [x]}"),
        "not-text",
        15,
        "objective O1: title (fr) should be text, found [x]",
    ),
    (MINIMAL.replace("title: Safe entry", "title: ''"), "empty-text", 15, "title is empty"),
    (
        MINIMAL.replace("title: Safe entry", "title: " + "x" * 2001),
        "plan-text-too-long",
        15,
        "title has 2001 characters, more than the 2000 allowed",
    ),
    (
        MINIMAL.replace("partners: [IOM]", "partners: IOM"),
        "list-expected",
        20,
        "partners should be a list in brackets, e.g. `partners: [IOM]`, found 'IOM'",
    ),
    (
        MINIMAL.replace(
            "reporting:\n  frequency: quarterly\n  first_period: 2026-Q3\n",
            "reporting: quarterly\n",
        ),
        "mapping-expected",
        6,
        "reporting should hold fields (frequency, first_period, due_days, send_to)",
    ),
    (
        MINIMAL.replace("countries: [SDN]", "countries: []"),
        "list-too-short",
        5,
        "countries has 0 items, fewer than the 1 required",
    ),
    (
        MINIMAL + "overview:\n  headings: [" + ", ".join(["main_trends"] * 21) + "]\n",
        "list-too-long",
        26,
        "overview: headings has 21 items, more than the 20 allowed",
    ),
    (MINIMAL.replace("id: O1", "id: O 1"), "invalid-id", 13, "id 'O 1' is not a valid id"),
    (
        MINIMAL.replace("        lead: UNHCR\n", "        leed: UNHCR\n"),
        "unknown-field",
        19,
        (
            "activity AP3-1: 'leed' is not a field here "
            "(the fields here: id, title, description, lead,"
        ),
    ),
    (
        MINIMAL.replace("title: Test plan\n", ""),
        "missing-field",
        1,
        "plan: required field 'title' is missing; add `title:`",
    ),
    (
        MINIMAL.replace("type: UN agency}", "type: UN agency, iati_ref: UNHCR}"),
        "invalid-value",
        10,
        "actor UNHCR: iati_ref: expected an IATI organisation identifier like XM-DAC-41121",
    ),
    (
        MINIMAL + "guidance:\n  AP3: {stakeholders: {EN: [Meet.]}}\n",
        "invalid-language",
        26,
        "guidance AP3: 'EN' is not a language code",
    ),
]


@pytest.mark.parametrize(("text", "code", "line", "words"), KINDS, ids=[k[1] for k in KINDS])
def test_each_kind_of_schema_error_has_its_code_and_plain_words(tmp_path, text, code, line, words):
    [issue] = errors(tmp_path, text)
    assert (issue.code, issue.line) == (code, line), issue.render()
    assert words in issue.message
    assert not [w for w in LIBRARY_WORDS if w in issue.message.lower()], issue.message


def test_every_code_of_the_table_is_reached_by_a_plan_above():
    assert {code.slug for code in ERROR_CODES.values()} == {kind[1] for kind in KINDS} - {
        "invalid-language"
    }


def test_the_example_date_is_in_the_plan_s_own_first_period(tmp_path):
    text = MINIMAL.replace("first_period: 2026-Q3", "first_period: 2031-Q1").replace(
        "start: 2026-07-01", "start: soon"
    )
    [issue] = errors(tmp_path, text)
    assert "e.g. `start: 2031-03-31`" in issue.message
