"""The rules a coordinator expects of one reported row, once its cells have been read."""

from __future__ import annotations

from collections.abc import Mapping

from matrix.codes import Code
from matrix.i18n import Phrase, phrase, t
from matrix.models.issues import Issue
from matrix.models.plan import Indicator, Status, in_language
from matrix.models.returns import ProgressRow
from matrix.plan import PlanRow
from matrix.validation.structure import Table

FAR_ABOVE = 3
"""An actual value more than this many times the target is probably a typo or the wrong unit."""
NEEDS_COMMENT = frozenset({Status.DELAYED, Status.CANCELLED})
NEEDS_ACTUAL = frozenset({Status.ON_TRACK, Status.DELAYED, Status.COMPLETED})


def actual_wanted(plan_row: PlanRow, lang: str) -> Phrase:
    """What the actual column asks for, to finish 'enter ...' in messages; the indicator as the
    workbook in `lang` names it."""
    indicator = plan_row.indicator
    if indicator is None:
        return phrase("wanted.number")
    key = "wanted.total" if indicator.cumulative else "wanted.in_period"
    name = in_language(indicator.name, lang)
    if indicator.unit:
        return phrase(f"{key}_in", unit=in_language(indicator.unit, lang), indicator=name)
    return phrase(key, indicator=name)


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
            status=phrase(f"status.{status.value}"), column=t(lang, "column.comments"),
        ))
    if indicator is None:
        return issues
    if status in NEEDS_ACTUAL and blank_actual:
        issues.append(Code.ACTUAL_MISSING.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), ref=row.ref,
            status=phrase(f"status.{status.value}"), what=actual_wanted(plan_row, lang),
        ))
    if actual is None:
        return issues
    target = indicator.target
    if status is Status.COMPLETED and indicator.cumulative and target and actual < target:
        issues.append(Code.COMPLETED_BELOW_TARGET.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), value=actual, ref=row.ref,
            actual=actual, target=target,
        ))
    if target and actual > FAR_ABOVE * target:
        issues.append(Code.ACTUAL_FAR_ABOVE_TARGET.issue(
            file=file, sheet=table.sheet.name, cell=table.cell(row.row, "actual"), value=actual,
            actual=actual, target=target,
            unit=in_language(indicator.unit, lang) if indicator.unit else phrase("wanted.unit"),
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
    if indicator is None or not indicator.cumulative or actual is None:
        return None
    last = previous.get((row.country, row.ref))
    if last is None or actual >= last:
        return None
    return Code.ACTUAL_BELOW_PREVIOUS.issue(
        file=file, sheet=row.sheet, cell=cell, value=actual, actual=actual, previous=last
    )
