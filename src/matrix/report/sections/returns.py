"""The returns section: which offices sent their return on time, late, only rejected files, or
nothing."""

from __future__ import annotations

from matrix.models.plan import Plan
from matrix.periods import Period, due_date
from matrix.report.context import ReturnState
from matrix.report.data import ReportData
from matrix.report.findings import place
from matrix.report.words import Words

MAX_ERRORS_SHOWN = 3


def return_states(
    plan: Plan, data: ReportData, period: Period, offices: list[str], words: Words
) -> list[ReturnState]:
    """Each office's return, as `matrix status` sees it: on time or late (its first accepted file
    counts), rejected (only rejected files so far: the last one's errors are shown) or missing. An
    office that sent nothing itself counts as received when a regional return reported its rows."""
    due = due_date(plan.reporting, period)
    files = sorted(
        (s for s in data.submissions if s.period == period.id), key=lambda s: s.received_at
    )
    out = []
    for office in offices:
        sent = [s for s in files if s.office == office]
        accepted = [s for s in sent if s.accepted]
        via = None
        if not accepted:
            covering = [
                s
                for s in files
                if s.accepted and not s.superseded and s.office != office and office in s.countries
            ]
            if covering:
                accepted, via = covering, covering[-1].office
        shown = accepted[0] if accepted else (sent[-1] if sent else None)
        errors = [i for i in shown.issues if i.is_error] if shown and not accepted else []
        if shown is None:
            state = "missing"
        elif not accepted:
            state = "rejected"
        else:
            state = "late" if shown.received_at.date() > due else "on_time"
        out.append(
            ReturnState(
                office=office,
                name=words.office(office),
                state=state,
                state_label=words.label(f"report.return.{state}"),
                received_at=shown.received_at if shown else None,
                file=shown.file if shown else "",
                via=words.office(via) if via else None,
                days_late=(shown.received_at.date() - due).days if state == "late" else None,
                errors=[
                    f"{place(i)}: {words.issue(i)}" if place(i) else words.issue(i)
                    for i in errors[:MAX_ERRORS_SHOWN]
                ],
                more_errors=max(0, len(errors) - MAX_ERRORS_SHOWN),
            )
        )
    return out
