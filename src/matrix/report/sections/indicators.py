"""The regional figures section: each country indicator's countries combined into one figure by
the rules its plan declares (`matrix.semantics`), from the countries' figures to date."""

from __future__ import annotations

from matrix.models.plan import RegionalRule, ValueKind
from matrix.plan import plan_index
from matrix.report.context import IndicatorFigure
from matrix.report.counting import Snapshot
from matrix.report.words import Words
from matrix.semantics import number_date, regional_figure


def indicator_figures(now: Snapshot, words: Words) -> list[IndicatorFigure]:
    """One figure per indicator of the activities that apply to countries, in plan order; none
    for a report on one office, which has nothing to combine."""
    layout = now.layout
    if len(layout.offices) < 2:
        return []
    plan, out = layout.plan, []

    def figures(ref: str | None) -> dict[str, float | None]:
        """Row `ref`'s figure in every office that has it; `regional_figure` asks the activity's
        countries only."""
        if not ref:  # no numerator or denominator: most indicators
            return {}
        names, rows = layout.ref_columns.get(ref, ((), ()))
        return dict(zip(names, map(now.achieved.__getitem__, rows), strict=True))

    rows = plan_index(plan).activity_rows
    for activity_id in layout.activity_ids:
        activity = layout.activity[activity_id]
        offices = [o for o in plan.activity_countries(activity) if o in layout.index]
        for row in rows[activity_id] if offices else ():
            indicator = row.indicator
            if indicator is None:
                continue
            figure = regional_figure(
                indicator,
                offices,
                figures(row.ref),
                figures(indicator.numerator),
                figures(indicator.denominator),
            )
            rule = indicator.regional_rule
            kind = indicator.value_kind
            dated = kind is ValueKind.DATE and figure.value is not None
            out.append(
                IndicatorFigure(
                    ref=row.ref,
                    activity=activity.title,
                    indicator=indicator.name,
                    unit=indicator.unit or "",
                    kind=kind.value,
                    rule=rule.value,
                    rule_text=_rule_text(
                        rule, kind, indicator.numerator, indicator.denominator, words
                    ),
                    value=None if dated else figure.value,
                    value_date=number_date(figure.value)
                    if dated and figure.value is not None
                    else None,
                    target=figure.target,
                    percent_of_target=None
                    if figure.percent_of_target is None
                    else 100 * figure.percent_of_target,
                    reporting=figure.reporting,
                    expected=figure.expected,
                )
            )
    return out


def _rule_text(
    rule: RegionalRule,
    kind: ValueKind,
    numerator: str | None,
    denominator: str | None,
    words: Words,
) -> str:
    if rule is RegionalRule.RATIO:
        return words.label("report.rule.ratio").format(numerator=numerator, denominator=denominator)
    if rule is RegionalRule.SUM and kind is ValueKind.YES_NO:
        return words.label("report.rule.yes")
    return words.label(f"report.rule.{rule.value}")
