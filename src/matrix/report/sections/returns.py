"""The returns section: which offices sent their return on time, late, only rejected files, or
nothing."""

from __future__ import annotations

from matrix.models.plan import Plan
from matrix.periods import Period, due_date
from matrix.report.context import ReturnState
from matrix.report.data import ReportData
from matrix.report.findings import place
from matrix.report.words import Words
from matrix.status import ReturnState as Returned
from matrix.status import office_return

MAX_ERRORS_SHOWN = 3
_STATES = {
    Returned.RETURNED: "on_time",
    Returned.LATE: "late",
    Returned.REJECTED: "rejected",
    Returned.MISSING: "missing",
}
"""The report's word for each state (its label key and the row's data-state)."""


def return_states(
    plan: Plan, data: ReportData, period: Period, offices: list[str], words: Words
) -> list[ReturnState]:
    """Each office's return, as `matrix status` sees it (`status.office_return`): on time or late
    (the first accepted file is shown), rejected (the last one's errors are shown) or missing."""
    due = due_date(plan.reporting, period)
    files = [s for s in data.submissions if s.period == period.id]
    out = []
    for office in offices:
        found = office_return(office, files, due)
        state = _STATES[found.state]
        shown = found.first or (found.own[-1] if found.own else None)
        errors = [i for i in shown.problems if i.is_error] if shown and not found.first else []
        out.append(
            ReturnState(
                office=office,
                name=words.office(office),
                state=state,
                state_label=words.label(f"report.return.{state}"),
                received_at=shown.received_at if shown else None,
                file=shown.file_name if shown else "",
                via=words.office(found.via) if found.via else None,
                days_late=found.days_late,
                errors=[
                    f"{place(i)}: {words.issue(i)}" if place(i) else words.issue(i)
                    for i in errors[:MAX_ERRORS_SHOWN]
                ],
                more_errors=max(0, len(errors) - MAX_ERRORS_SHOWN),
            )
        )
    return out
