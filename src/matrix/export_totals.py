"""The export's indicator semantics and regional figures: the columns that say what each
indicator's numbers are and how they combine, and the `regional` table, one row per period and
country indicator, its countries' figures to date combined by the declared rule
(`matrix.semantics`) exactly as the report does."""

from __future__ import annotations

from collections.abc import Sequence

from matrix.export_tables import ExportColumn, Row
from matrix.models.plan import Indicator, Plan, ValueKind
from matrix.plan import plan_index
from matrix.semantics import ToDate, date_number, number_date, regional_figure

SEMANTICS_COLUMNS = (
    ExportColumn(
        "kind",
        "#indicator+kind",
        width=9,
        description="count, number, percent, currency, yes_no or date.",
    ),
    ExportColumn(
        "periods",
        "#indicator+periods",
        width=10,
        description="How periods combine: cumulative, per_period, latest, max or mean.",
    ),
    ExportColumn(
        "regional_total",
        "#indicator+regional",
        width=10,
        description="How countries combine: sum, mean, min, max, ratio or none.",
    ),
    ExportColumn(
        "numerator",
        "#indicator+numerator",
        width=10,
        description="For a ratio: the row whose countries' figures make the part.",
    ),
    ExportColumn(
        "denominator",
        "#indicator+denominator",
        width=10,
        description="For a ratio: the row whose countries' figures make the whole.",
    ),
)

REGIONAL_COLUMNS: tuple[ExportColumn, ...] = (
    ExportColumn("period", "#date+period", width=9, description="Reporting period."),
    ExportColumn("activity", "#activity+code", width=10, description="Id of the plan's activity."),
    ExportColumn(
        "activity_title", "#activity+name", width=40, description="Title of the activity."
    ),
    ExportColumn("ref", "#indicator+code", width=10, description="Row reference of the indicator."),
    ExportColumn("indicator", "#indicator+name", width=30, description="Name of the indicator."),
    ExportColumn("unit", "#indicator+unit", width=10, description="Unit of the indicator."),
    *SEMANTICS_COLUMNS,
    ExportColumn(
        "value",
        "#reached+num+regional",
        "number",
        10,
        "Regional figure to date by the rule; a percentage in points for percent and ratio.",
    ),
    ExportColumn(
        "value_date", "#date+reached+regional", "date", 11, "Regional figure of a date indicator."
    ),
    ExportColumn(
        "target",
        "#targeted+num+regional",
        "number",
        10,
        "Regional target by the same rule (each country's target added up for a sum).",
    ),
    ExportColumn(
        "percent_of_target",
        "#indicator+pct+regional",
        "percent",
        9,
        "value / target, as a fraction (0.5 is half); null without both.",
    ),
    ExportColumn(
        "numerator_total",
        "#reached+num+numerator",
        "number",
        10,
        "For a ratio: the numerators of the countries counted, added up.",
    ),
    ExportColumn(
        "denominator_total",
        "#reached+num+denominator",
        "number",
        10,
        "For a ratio: their denominators, added up.",
    ),
    ExportColumn(
        "countries_reporting",
        "#country+num+reporting",
        "number",
        9,
        "Countries whose figure went into the regional one.",
    ),
    ExportColumn(
        "countries_expected",
        "#country+num+expected",
        "number",
        9,
        "Countries the indicator applies to.",
    ),
)


def semantics_cells(indicator: Indicator | None) -> Row:
    """The semantics columns of a row of the dataset ('' for an activity without indicator)."""
    if indicator is None:
        return {column.key: "" for column in SEMANTICS_COLUMNS}
    return {
        "kind": indicator.value_kind.value,
        "periods": indicator.period_rule.value,
        "regional_total": indicator.regional_rule.value,
        "numerator": indicator.numerator or "",
        "denominator": indicator.denominator or "",
    }


def regional_rows(plan: Plan, rows: Sequence[Row], periods: Sequence[str]) -> list[Row]:
    """The regional figures of `periods` from the dataset's `rows`, which hold every period from
    the plan's first up to the last of `periods`, in period order."""
    index = plan_index(plan)
    running: dict[tuple[str, str], ToDate] = {}
    figures: dict[tuple[str, str, str], float | None] = {}
    for row in rows:
        row_plan = index.row(row["ref"])
        if row_plan is None or row_plan.indicator is None:
            continue
        key = (row["country"], row["ref"])
        if key not in running:
            running[key] = ToDate(row_plan.indicator.period_rule)
        value = row["actual"]
        if row["actual_date"] is not None:
            value = date_number(row["actual_date"])
        figures[(row["period"], *key)] = running[key].add(value)
    out: list[Row] = []
    wanted = set(periods)
    for period in dict.fromkeys(row["period"] for row in rows):
        if period not in wanted:
            continue
        for _, activity in plan.activities():
            offices = plan.activity_countries(activity)
            for row_plan in index.activity_rows[activity.id] if offices else ():
                indicator = row_plan.indicator
                if indicator is None:
                    continue

                def of(ref: str | None) -> dict[str, float | None]:
                    return {o: figures.get((period, o, ref or "")) for o in offices}  # noqa: B023

                figure = regional_figure(
                    indicator,
                    offices,
                    of(row_plan.ref),
                    of(indicator.numerator),
                    of(indicator.denominator),
                )
                dated = indicator.value_kind is ValueKind.DATE and figure.value is not None
                percent = figure.percent_of_target
                out.append(
                    {
                        "period": period,
                        "activity": activity.id,
                        "activity_title": activity.title,
                        "ref": row_plan.ref,
                        "indicator": indicator.name,
                        "unit": indicator.unit or "",
                        **semantics_cells(indicator),
                        "value": None if dated else figure.value,
                        "value_date": number_date(figure.value)
                        if dated and figure.value is not None
                        else None,
                        "target": figure.target,
                        "percent_of_target": round(percent, 4) if percent is not None else None,
                        "numerator_total": figure.numerator,
                        "denominator_total": figure.denominator,
                        "countries_reporting": figure.reporting,
                        "countries_expected": figure.expected,
                    }
                )
    return out
