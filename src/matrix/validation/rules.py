"""The rules a coordinator expects of one reported row, once its cells have been read."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from matrix.codes import Code
from matrix.i18n import Phrase, phrase, t
from matrix.models.issues import Issue
from matrix.models.plan import PeriodRule, Status, ValueKind, in_language
from matrix.models.returns import ProgressRow
from matrix.periods import Period
from matrix.plan import PlanRow
from matrix.validation.structure import Table

FAR_ABOVE = 3
"""An actual value more than this many times the target is probably a typo or the wrong unit."""
NEEDS_COMMENT = frozenset({Status.DELAYED, Status.CANCELLED})
NEEDS_ACTUAL = frozenset({Status.ON_TRACK, Status.DELAYED, Status.COMPLETED})
FINISHED = frozenset({Status.COMPLETED, Status.CANCELLED})


def actual_wanted(plan_row: PlanRow, lang: str) -> Phrase:
    """What the actual column asks for, to finish 'enter ...' in messages; the indicator as the
    workbook in `lang` names it."""
    indicator = plan_row.indicator
    if indicator is None:
        return phrase("wanted.number")
    name = in_language(indicator.name, lang)
    kind = indicator.value_kind
    if kind is ValueKind.YES_NO:
        return phrase("wanted.yes_no", indicator=name)
    if kind is ValueKind.DATE:
        return phrase("wanted.date", indicator=name)
    rule = indicator.period_rule
    when = phrase(
        "wanted.when.total"
        if rule is PeriodRule.CUMULATIVE
        else "wanted.when.in_period"
        if rule is PeriodRule.PER_PERIOD
        else "wanted.when.level"
    )
    if kind is ValueKind.PERCENT:
        return phrase("wanted.percent", when=when, indicator=name)
    key = "wanted.count" if kind is ValueKind.COUNT else "wanted.amount"
    if indicator.unit:
        return phrase(
            f"{key}_in", when=when, unit=in_language(indicator.unit, lang), indicator=name
        )
    return phrase(key, when=when, indicator=name)


class _Where(TypedDict):
    file: str
    sheet: str
    cell: str | None


def _at(file: str, table: Table, row: ProgressRow, column: str) -> _Where:
    """Where an issue of `row` points: the file, the sheet and the row's cell in `column`."""
    return {"file": file, "sheet": table.sheet.name, "cell": table.cell(row.row, column)}


def row_rules(
    row: ProgressRow,
    plan_row: PlanRow,
    table: Table,
    lang: str,
    file: str,
    blank_actual: bool,
    period: Period | None,
    margin: float,
) -> list[Issue]:
    """The issues of one row as of the end of `period` (None: the return's period is unknown);
    most rows have none, and then nothing is built. `margin`: the plan's at-risk margin."""
    issues: list[Issue] = []
    status, actual, indicator = row.status, row.actual, plan_row.indicator
    if status in NEEDS_COMMENT and not row.comments:
        issues.append(
            Code.COMMENT_REQUIRED.issue(
                **_at(file, table, row, "comments"),
                ref=row.ref,
                status=phrase(f"status.{status.value}"),
                column=t(lang, "column.comments"),
            )
        )
    if period is not None and (issue := overdue(row, plan_row, table, file, period)):
        issues.append(issue)
    if indicator is None:
        return issues
    if status in NEEDS_ACTUAL and blank_actual:
        issues.append(
            Code.ACTUAL_MISSING.issue(
                **_at(file, table, row, "actual"),
                ref=row.ref,
                status=phrase(f"status.{status.value}"),
                what=actual_wanted(plan_row, lang),
            )
        )
    if actual is None:
        return issues
    target = indicator.target
    if status is Status.COMPLETED and indicator.is_total_to_date and target and actual < target:
        issues.append(
            Code.COMPLETED_BELOW_TARGET.issue(
                **_at(file, table, row, "actual"),
                value=actual,
                ref=row.ref,
                actual=actual,
                target=target,
            )
        )
    if target and actual > FAR_ABOVE * target:
        issues.append(
            Code.ACTUAL_FAR_ABOVE_TARGET.issue(
                **_at(file, table, row, "actual"),
                value=actual,
                actual=actual,
                target=target,
                unit=in_language(indicator.unit, lang) if indicator.unit else phrase("wanted.unit"),
            )
        )
    per_period = (
        indicator.period_rule is PeriodRule.PER_PERIOD
    )  # any number in a period is something done
    if status is Status.NOT_STARTED and actual > (
        threshold := 0 if per_period else indicator.baseline
    ):
        issues.append(
            Code.NOT_STARTED_WITH_PROGRESS.issue(
                **_at(file, table, row, "status"),
                value=actual,
                ref=row.ref,
                actual=actual,
                threshold=phrase("threshold.baseline", baseline=threshold) if threshold else 0,
            )
        )
    if (
        status is Status.ON_TRACK
        and period is not None
        and (issue := at_risk(row, plan_row, table, file, period.end, margin))
    ):
        issues.append(issue)
    return issues


def overdue(
    row: ProgressRow, plan_row: PlanRow, table: Table, file: str, period: Period
) -> Issue | None:
    """A row past its activity's end by the end of the period it reports on, and not finished."""
    end, status = plan_row.activity.end, row.status
    if end is None or end >= period.end or status is None or status in FINISHED:
        return None
    return Code.OVERDUE.issue(
        **_at(file, table, row, "status"),
        ref=row.ref,
        end=end,
        status=phrase(f"status.{status.value}"),
        period=period.id,
    )


def at_risk(
    row: ProgressRow, plan_row: PlanRow, table: Table, file: str, as_of: date, margin: float
) -> Issue | None:
    """An on-track row whose progress towards its target (the report's: total to date / target)
    trails the share of its activity's time gone by `as_of` by more than `margin` points. Only
    indicators whose row holds the total to date: a per-period value is one period's part."""
    indicator, activity, actual = plan_row.indicator, plan_row.activity, row.actual
    start, end = activity.start, activity.end
    if (
        indicator is None
        or not indicator.is_total_to_date
        or not indicator.target
        or actual is None
        or start is None
        or end is None
        or not start <= as_of <= end
        or end <= start
    ):
        return None
    elapsed = 100 * (as_of - start).days / (end - start).days
    progress = 100 * actual / indicator.target
    if elapsed - progress <= margin:
        return None
    return Code.AT_RISK.issue(
        **_at(file, table, row, "actual"),
        value=actual,
        ref=row.ref,
        progress=round(progress),
        elapsed=round(elapsed),
        start=start,
        end=end,
        as_of=as_of,
        margin=margin,
    )
