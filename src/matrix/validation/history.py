"""The previous-period checks: a return against what the store accepted for earlier periods.

They need a store, so `validate` applies them when one is present and `collect` always, the same
function either way: applied to rows already read, since `collect` learns a return's period (and
so which history applies) only by reading it. The history is `models.returns.History`, what
`Store.earlier` gives for the offices and period being checked.
"""

from __future__ import annotations

from matrix.codes import Code
from matrix.i18n import phrase
from matrix.models.issues import Issue
from matrix.models.plan import Plan, Status
from matrix.models.returns import History, ProgressRow, ValidationResult
from matrix.periods import Period
from matrix.plan import plan_index
from matrix.validation.rules import FINISHED


def history_issues(plan: Plan, result: ValidationResult, history: History) -> list[Issue]:
    """What the rows of `result` contradict in `history`: a total to date that went down, a
    finished row reopened, and a return sent back exactly as accepted before."""
    if not history or not result.rows:
        return []
    index = plan_index(plan)
    letters = {sheet: (status, actual) for sheet, status, actual in result._input_columns}
    issues: list[Issue] = []
    for row in result.rows:
        earlier = history.get((row.country, row.ref))
        if earlier is None:
            continue
        status_letter, actual_letter = letters.get(row.sheet, ("A", "A"))
        indicator = index.indicator(row.activity_id, row.indicator_index)
        last = earlier.total
        if (
            indicator is not None
            and indicator.is_total_to_date
            and row.actual is not None
            and last is not None
            and row.actual < last
        ):
            issues.append(
                Code.ACTUAL_BELOW_PREVIOUS.issue(
                    file=result.file,
                    sheet=row.sheet,
                    cell=f"{actual_letter}{row.row}",
                    value=row.actual,
                    actual=row.actual,
                    previous=last,
                )
            )
        before = earlier.record.status
        if before in FINISHED and row.status is not None and row.status not in FINISHED:
            issues.append(
                Code.FINISHED_ROW_REOPENED.issue(
                    file=result.file,
                    sheet=row.sheet,
                    cell=f"{status_letter}{row.row}",
                    ref=row.ref,
                    before=phrase(f"status.{Status(before).value}"),
                    period=earlier.period,
                    status=phrase(f"status.{row.status.value}"),
                )
            )
    if (since := unchanged_since(result.rows, history)) is not None:
        issues.append(Code.NO_UPDATE.issue(file=result.file, rows=len(result.rows), period=since))
    return issues


def unchanged_since(rows: list[ProgressRow], history: History) -> str | None:
    """The latest period whose accepted answers every row repeats exactly (a pre-filled matrix
    sent back untouched); None when any row says something new, or nothing at all."""
    periods = set()
    for row in rows:
        earlier = history.get((row.country, row.ref))
        if earlier is None or _answers(row) != tuple(earlier.record[2:]):
            return None
        periods.add(earlier.period)
    if not any(row.status is not None for row in rows):
        return None
    return max(periods, key=Period.parse)  # the store gives only periods of the plan's calendar


def _answers(row: ProgressRow) -> tuple:
    """The row's answers in the order of `ProgressRecord`'s fields after country and ref."""
    return (
        row.status.value if row.status else None,
        row.actual,
        row.funds_secured,
        row.comments,
        row.next_steps,
        row.support_needed,
    )
