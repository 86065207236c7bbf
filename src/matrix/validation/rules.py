"""The rules a coordinator expects of one reported row, once its cells have been read."""

from __future__ import annotations

from collections.abc import Mapping

from matrix.codes import Code
from matrix.i18n import status_label, t
from matrix.models.issues import Issue
from matrix.models.plan import Indicator, PeriodRule, Status, ValueKind
from matrix.models.returns import ProgressRow
from matrix.plan import PlanRow
from matrix.validation.structure import Table
from matrix.validation.values import shown

FAR_ABOVE = 3
"""An actual value more than this many times the target is probably a typo or the wrong unit."""
NEEDS_COMMENT = frozenset({Status.DELAYED, Status.CANCELLED})
NEEDS_ACTUAL = frozenset({Status.ON_TRACK, Status.DELAYED, Status.COMPLETED})


def actual_wanted(plan_row: PlanRow) -> str:
    """What the actual column asks for, to finish 'enter ...' in messages."""
    indicator = plan_row.indicator
    if indicator is None:
        return "a number"
    kind = indicator.value_kind
    if kind is ValueKind.YES_NO:
        return f"Yes or No ({indicator.name})"
    if kind is ValueKind.DATE:
        return f"the date, e.g. 2026-09-30 ({indicator.name})"
    rule = indicator.period_rule
    when = (
        "the total to date" if rule is PeriodRule.CUMULATIVE
        else "what was achieved in this period" if rule is PeriodRule.PER_PERIOD
        else "the level now"
    )
    if kind is ValueKind.PERCENT:
        return f"{when} as a percentage, e.g. 40 or 40% ({indicator.name})"
    whole = " as a whole number" if kind is ValueKind.COUNT else ""
    unit = f" in {indicator.unit}" if indicator.unit else ""
    return f"{when}{unit}{whole} ({indicator.name})"


def row_rules(
    row: ProgressRow, plan_row: PlanRow, table: Table, lang: str, file: str, blank_actual: bool,
    previous: Mapping[tuple[str, str], float],
) -> list[Issue]:
    """The issues of one row; most rows have none, and then nothing is built."""
    issues: list[Issue] = []
    status, actual, indicator = row.status, row.actual, plan_row.indicator
    if status in NEEDS_COMMENT and not row.comments:
        issues.append(Code.COMMENT_REQUIRED.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "comments"), ref=row.ref,
            status=status_label(status, "en").lower(),
            column=t(lang, "column.comments"),
        ))
    if indicator is None:
        return issues
    if status in NEEDS_ACTUAL and blank_actual:
        issues.append(Code.ACTUAL_MISSING.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), ref=row.ref,
            status=status_label(status, "en").lower(),
            what=actual_wanted(plan_row),
        ))
    if actual is None:
        return issues
    target = indicator.target
    if status is Status.COMPLETED and indicator.is_total_to_date and target and actual < target:
        issues.append(Code.COMPLETED_BELOW_TARGET.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), value=actual, ref=row.ref,
            actual=shown(actual), target=shown(target),
        ))
    if target and actual > FAR_ABOVE * target:
        issues.append(Code.ACTUAL_FAR_ABOVE_TARGET.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), value=actual,
            actual=shown(actual), target=shown(target), unit=indicator.unit or "the indicator's unit",
        ))
    if previous and (issue := below_previous(row, indicator, table.cell(row.row, "actual"), file, previous)):
        issues.append(issue)
    return issues


def below_previous(
    row: ProgressRow, indicator: Indicator | None, cell: str | None, file: str,
    previous: Mapping[tuple[str, str], float],
) -> Issue | None:
    """A cumulative actual lower than the last accepted one: the one rule that needs history, so it
    can also be applied to rows already read (`matrix collect` learns a file's period by reading it)."""
    actual = row.actual
    if indicator is None or not indicator.is_total_to_date or actual is None:
        return None
    last = previous.get((row.country, row.ref))
    if last is None or actual >= last:
        return None
    return Code.ACTUAL_BELOW_PREVIOUS.issue(
        file=file, sheet=row.sheet, cell=cell, value=actual, actual=shown(actual), previous=shown(last)
    )
