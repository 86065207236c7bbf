"""Indicator semantics: the rules of `matrix.semantics` with figures worked out by hand, the plan's
defaults and version, `plan check` on semantics that mean nothing, reading each kind from a real
returned matrix, and the IATI measure of each kind."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from click.testing import CliRunner

from matrix.cli import cli
from matrix.codes import Code
from matrix.iati import MEASURES, measure, suitable_for_aggregation
from matrix.models.plan import Indicator, PeriodRule, Plan, RegionalRule, ValueKind
from matrix.plan import load_plan
from matrix.semantics import date_number, number_date, regional_figure, to_date
from matrix.validation import validate_file
from semantics_helpers import INDICATORS, plan_data, write_plan
from validation_helpers import columns, fill, make_matrix, ref_rows

VALUES = [10.0, None, 40.0, 20.0]
"""Four periods' values of one country's row; nothing reported in the second."""


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (PeriodRule.CUMULATIVE, 20.0),  # the total to date is the latest value
        (PeriodRule.PER_PERIOD, 10 + 40 + 20),  # what was done in each period, added up
        (PeriodRule.LATEST, 20.0),
        (PeriodRule.MAX, 40.0),
        (PeriodRule.MEAN, (10 + 40 + 20) / 3),  # over the periods reported
    ],
)
def test_figure_to_date_by_period_rule(rule, expected):
    assert to_date(rule, VALUES) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (PeriodRule.CUMULATIVE, None),
        (PeriodRule.LATEST, None),  # they need this period's value
        (PeriodRule.PER_PERIOD, 70.0),
        (PeriodRule.MAX, 40.0),
        (PeriodRule.MEAN, 70 / 3),
    ],
)
def test_figure_to_date_when_this_period_is_not_reported(rule, expected):
    assert to_date(rule, [*VALUES, None]) == (pytest.approx(expected) if expected else None)


COUNTRY_FIGURES = {"KEN": 12.0, "TZA": 3.0, "UGA": None, "ETH": 6.0}


@pytest.mark.parametrize(
    ("rule", "value", "target"),
    [
        (RegionalRule.SUM, 12 + 3 + 6, 4 * 10),  # a plan target is each country's: added up too
        (RegionalRule.MEAN, (12 + 3 + 6) / 3, 10),
        (RegionalRule.MIN, 3, 10),
        (RegionalRule.MAX, 12, 10),
        (RegionalRule.NONE, None, None),
    ],
)
def test_regional_figure_by_rule(rule, value, target):
    indicator = Indicator(name="x", unit="people", target=10, regional_total=rule)
    figure = regional_figure(indicator, list(COUNTRY_FIGURES), COUNTRY_FIGURES)
    assert (figure.value, figure.target, figure.reporting, figure.expected) == (value, target, 3, 4)


def test_ratio_divides_the_sums_over_countries_that_gave_both():
    indicator = Indicator(
        name="share",
        unit="%",
        target=30,
        regional_total="ratio",
        numerator="A.2",
        denominator="A.1",
    )
    numerators = {"KEN": 45.0, "TZA": 20.0, "UGA": 5.0, "ETH": None}
    denominators = {"KEN": 150.0, "TZA": 50.0, "UGA": None, "ETH": 80.0}
    figure = regional_figure(
        indicator,
        ["KEN", "TZA", "UGA", "ETH"],
        {"KEN": 30.0, "TZA": 40.0},
        numerators,
        denominators,
    )
    assert figure.value == pytest.approx(100 * 65 / 200)  # 32.5, not the mean of 30 and 40 (35)
    assert (figure.numerator, figure.denominator, figure.reporting, figure.target) == (
        65,
        200,
        2,
        30,
    )


def test_dates_are_stored_as_excel_serial_numbers():
    assert date_number(date(2026, 9, 30)) == 46295
    assert number_date(46295.0) == date(2026, 9, 30)


# --- the plan: defaults and version --------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kind", "periods", "regional"),
    [
        ({}, ValueKind.NUMBER, PeriodRule.CUMULATIVE, RegionalRule.SUM),
        ({"unit": "%"}, ValueKind.PERCENT, PeriodRule.CUMULATIVE, RegionalRule.NONE),
        (
            {"unit": "percentage", "cumulative": False},
            ValueKind.PERCENT,
            PeriodRule.PER_PERIOD,
            RegionalRule.NONE,
        ),
        ({"kind": "yes-no"}, ValueKind.YES_NO, PeriodRule.CUMULATIVE, RegionalRule.SUM),
        ({"kind": "date"}, ValueKind.DATE, PeriodRule.CUMULATIVE, RegionalRule.NONE),
        (
            {"kind": "Currency", "periods": "per period", "regional_total": "max"},
            ValueKind.CURRENCY,
            PeriodRule.PER_PERIOD,
            RegionalRule.MAX,
        ),
    ],
)
def test_defaults_keep_older_plans_meaning(given, kind, periods, regional):
    indicator = Indicator(name="x", **given)
    assert (indicator.value_kind, indicator.period_rule, indicator.regional_rule) == (
        kind,
        periods,
        regional,
    )


PLAIN_PLAN_VERSION = "72f4a6ee4a3768481a866ef3acbedf7a039437e69bbe9cc898902886a2860f01"
"""Computed by matrix before indicator semantics existed (main at 4ecab5d)."""


def test_a_plan_declaring_no_semantics_keeps_its_version():
    """The version of a plan without semantics, as matrix computed it before they existed."""
    plain = [{k: v for k, v in i.items() if k in ("name", "unit", "target")} for i in INDICATORS]
    plan = Plan.model_validate(plan_data(plain))
    assert plan.content_hash() == PLAIN_PLAN_VERSION
    declared = copy.deepcopy(plain)
    declared[0]["kind"] = "count"
    assert Plan.model_validate(plan_data(declared)).content_hash() != PLAIN_PLAN_VERSION


# --- plan check ------------------------------------------------------------------------------


def _check(tmp_path, change: dict) -> tuple[int, str]:
    indicators = copy.deepcopy(INDICATORS)
    for index, fields in change.items():
        indicators[index] = {**indicators[index], **fields}
        for name in [k for k, v in indicators[index].items() if v is None]:
            del indicators[index][name]
    path = write_plan(tmp_path, plan_data(indicators))
    result = CliRunner().invoke(cli, ["plan", "check", str(path)])
    return result.exit_code, result.output


def test_the_test_plan_is_valid(tmp_path):
    code, output = _check(tmp_path, {})
    assert code == 0 and " error " not in output


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({7: {"periods": "per_period"}}, Code.INDICATOR_PERIODS_KIND),  # percentages summed
        ({7: {"regional_total": "sum"}}, Code.INDICATOR_REGIONAL_KIND),  # percentages added up
        ({8: {"periods": "mean"}}, Code.INDICATOR_PERIODS_KIND),  # a mean of yes/no
        ({10: {"regional_total": "sum"}}, Code.INDICATOR_REGIONAL_KIND),  # dates added up
        ({10: {"target": 3}}, Code.INDICATOR_DATE_TARGET),
        ({0: {"cumulative": False}}, Code.INDICATOR_CUMULATIVE_CONFLICT),  # periods: cumulative
        ({6: {"numerator": None}}, Code.RATIO_PARTS_MISSING),
        ({6: {"numerator": "A1.66"}}, Code.RATIO_PART_UNKNOWN),
        ({6: {"numerator": "A1.9"}}, Code.RATIO_PART_KIND),  # a yes/no is no count
        ({6: {"numerator": "A1.7"}}, Code.RATIO_PART_ITSELF),
        ({6: {"kind": "count"}}, Code.RATIO_NOT_PERCENT),
        ({0: {"numerator": "A1.6"}}, Code.RATIO_WITHOUT_RATIO),
        (
            {1: {"regional_total": "ratio", "numerator": "A1.6", "denominator": "A1.5"}},
            Code.RATIO_NOT_PERCENT,
        ),
    ],
)
def test_plan_check_refuses_semantics_that_mean_nothing(tmp_path, change, code):
    exit_code, output = _check(tmp_path, change)
    assert exit_code == 1
    [line] = [line for line in output.splitlines() if f" {code.slug} " in line]
    assert "plan.yaml:" in line and " error " in line


def test_a_ratio_part_some_countries_do_not_report_is_a_warning(tmp_path):
    data = plan_data()
    activity = data["objectives"][0]["activities"][0]
    data["objectives"][0]["activities"].append(
        {
            "id": "B1",
            "title": "Kenya only",
            "lead": "UNHCR",
            "countries": ["KEN"],
            "indicators": [{"name": "People", "unit": "people", "target": 5, "kind": "count"}],
        }
    )
    activity["indicators"][6]["numerator"] = "B1"
    path = write_plan(tmp_path, data)
    result = CliRunner().invoke(cli, ["plan", "check", str(path)])
    assert result.exit_code == 0
    assert (
        Code.RATIO_PART_COUNTRIES.message(
            activity="A1",
            field="numerator",
            ref="B1",
            indicator="Share needing protection",
            countries="TZA, UGA",
        )
        in result.output
    )


# --- validation by kind ----------------------------------------------------------------------


def cell_of_ref(path, ref: str, key: str) -> str:
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[1]
    return f"{openpyxl.utils.get_column_letter(columns(ws)[key])}{ref_rows(ws)[ref]}"


@pytest.fixture
def matrix(tmp_path):
    plan, path = make_matrix(tmp_path, write_plan(tmp_path / "plan"))
    return plan, path


def _read(matrix, ref: str, typed: object) -> tuple[set[str], float | None, list]:
    plan, path = matrix
    fill(path, {ref: {"status": "On track", "actual": typed, "comments": "ok"}})
    result = validate_file(plan, path)
    row = next(r for r in result.rows if r.ref == ref)
    issues = [i for i in result.issues if i.cell == cell_of_ref(path, ref, "actual")]
    return {i.code for i in issues}, row.actual, issues


def test_a_percent_sign_in_a_count_is_an_error_that_says_so(matrix):
    codes, actual, [issue] = _read(matrix, "A1.1", "40%")
    assert codes == {"actual-percent-sign"} and actual is None
    assert issue.message.startswith('"40%" is a percentage, but A1.1 is a count: enter the total')


def test_a_count_is_a_whole_number(matrix):
    codes, actual, [issue] = _read(matrix, "A1.1", 2.5)
    assert codes == {"actual-not-whole"} and actual is None
    assert issue.message == Code.ACTUAL_NOT_WHOLE.message(number="2.5", ref="A1.1", unit="people")


@pytest.mark.parametrize(("typed", "read"), [("1.200,5", 1200.5), ("1,250.5", 1250.5)])
def test_an_amount_may_have_decimals_typed_as_text(matrix, typed, read):
    codes, actual, _ = _read(matrix, "A1.12", typed)
    assert codes == {"number-from-text"} and actual == read


def test_a_percent_sign_in_a_number_is_an_error_too(matrix):
    assert _read(matrix, "A1.3", "40 %")[0] == {"actual-percent-sign"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("40%", 40),
        (40, 40),
        ("40", 40),
        (0.4, 40),
        ("0.5%", 0.5),
        (0.005, 0.5),
        (1, 1),
        (0, 0),
        (120, 120),
    ],
)
def test_a_percentage_is_read_by_the_documented_rule(matrix, typed, read):
    codes, actual, _ = _read(matrix, "A1.8", typed)
    assert codes == set() and actual == pytest.approx(read)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Yes", 1),
        ("no", 0),
        ("OUI", 1),
        ("Non", 0),
        ("sí", 1),
        ("نعم", 1),
        ("لا", 0),
        (True, 1),
        (0, 0),
    ],
)
def test_yes_no_in_every_catalogue_language(matrix, typed, read):
    codes, actual, _ = _read(matrix, "A1.9", typed)
    assert codes == set() and actual == read


def test_yes_no_refuses_anything_else(matrix):
    codes, actual, [issue] = _read(matrix, "A1.9", "maybe")
    assert codes == {"actual-not-yes-no"} and actual is None
    assert issue.message == Code.ACTUAL_NOT_YES_NO.message(text="maybe", choices="Yes or No")


def test_a_date_indicator_reads_dates(matrix):
    assert _read(matrix, "A1.11", date(2026, 9, 30))[:2] == (set(), 46295)
    assert _read(matrix, "A1.11", "2026-09-30")[:2] == ({"date-from-text"}, 46295)
    assert _read(matrix, "A1.11", "soon")[:2] == ({"not-a-date"}, None)


def test_the_matrix_checks_each_kind_as_it_is_typed(matrix):
    """Excel's own checks on the actual cells: whole numbers, the Yes/No list, dates."""
    import openpyxl

    _, path = matrix
    ws = openpyxl.load_workbook(path).worksheets[1]
    by_cell = {}
    for check in ws.data_validations.dataValidation:
        for cells in check.sqref.ranges:
            for row, column in cells.cells:
                by_cell[f"{openpyxl.utils.get_column_letter(column)}{row}"] = check
    whole = by_cell[cell_of_ref(path, "A1.1", "actual")]
    yes_no = by_cell[cell_of_ref(path, "A1.9", "actual")]
    dated = by_cell[cell_of_ref(path, "A1.11", "actual")]
    assert (whole.type, yes_no.type, dated.type) == ("whole", "list", "date")
    assert yes_no.formula1 == '"Yes,No"'
    assert "percentage" in by_cell[cell_of_ref(path, "A1.8", "actual")].prompt


# --- IATI --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("count", "1"),
        ("number", "1"),
        ("currency", "1"),
        ("percent", "2"),
        ("yes_no", "3"),
        ("date", "5"),
    ],
)
def test_iati_measure_follows_the_declared_kind(kind, code):
    assert measure(Indicator(name="x", kind=kind)) == code == MEASURES[ValueKind(kind)]


@pytest.mark.parametrize(
    ("fields", "aggregated"),
    [
        ({"kind": "count", "periods": "per_period"}, True),
        ({"kind": "count", "periods": "cumulative"}, False),  # totals to date are not summed
        ({"kind": "count", "periods": "per_period", "regional_total": "mean"}, False),
        ({"unit": "%", "periods": "latest", "regional_total": "mean"}, False),
        ({"kind": "yes_no", "periods": "latest"}, False),
    ],
)
def test_iati_aggregation_status_follows_the_rules(fields, aggregated):
    assert suitable_for_aggregation(Indicator(name="x", **fields)) is aggregated


def test_examples_declare_their_indicators_semantics():
    from checkout import DAR, SUDAN

    for path in (DAR, SUDAN):
        plan = load_plan(path)
        undeclared = [
            i.name
            for _, a in plan.activities()
            for i in a.indicators
            if i.kind is None or i.periods is None
        ]
        assert undeclared == [], path.name
