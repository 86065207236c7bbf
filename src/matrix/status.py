"""Who returned what: each expected office's return for a period, and a country's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum

from matrix.errors import MatrixError
from matrix.models.plan import Plan, Status
from matrix.periods import Period, due_date, parse_for_plan
from matrix.plan import plan_index, split_ref
from matrix.store import Store, Submission, overlap_issue
from matrix.text_table import number, table
from matrix.versions import IssuedMatrix


class ReturnState(StrEnum):
    RETURNED = "returned"
    LATE = "late"
    """Returned (and accepted) after the due date."""
    REJECTED = "rejected"
    """Only rejected files so far: the office has to send a corrected one."""
    MISSING = "missing"


@dataclass(frozen=True)
class OfficeStatus:
    office: str
    name: str
    state: ReturnState
    latest_return: datetime | None
    """When the office's latest file (accepted or not) was received."""
    file: str | None
    errors: int
    warnings: int
    via: str | None = None
    """The regional return that reported this country, when the country sent none of its own."""
    reason: str | None = None
    """First error of a rejected return."""
    matrix_version: str | None = None
    """The plan version of the matrix the office was last sent for the period (None: none
    recorded, as for matrices generated before versions were kept)."""
    outdated: bool = False
    """Whether that matrix is of an earlier plan version than the current one."""

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["state"] = self.state.value
        data["latest_return"] = self.latest_return.isoformat() if self.latest_return else None
        return data


@dataclass(frozen=True)
class PeriodStatus:
    period: str
    due: date
    offices: list[OfficeStatus]

    @property
    def outdated(self) -> list[OfficeStatus]:
        """Offices holding a matrix of an earlier plan version."""
        return [o for o in self.offices if o.outdated]

    @property
    def complete(self) -> bool:
        return all(o.state in (ReturnState.RETURNED, ReturnState.LATE) for o in self.offices)

    def as_json(self) -> dict[str, object]:
        """`matrix status --format json`, described by docs/schemas/status.v1.json."""
        return {"schema_version": 1, "period": self.period, "due": self.due.isoformat(), "complete": self.complete,
                "offices": [o.as_json() for o in self.offices]}


@dataclass(frozen=True)
class OfficeReturn:
    """Where one office stands for a period, by the one rule `status` and the report share."""

    state: ReturnState
    first: Submission | None
    """The earliest received accepted file, which decides whether the return was late."""
    current: Submission | None
    """The accepted file that counts (the office's latest, or the regional return covering it)."""
    own: list[Submission]
    """Every file the office itself sent for the period, in the order collected."""
    via: str | None = None
    """The regional return that reported this country, when the country sent none of its own."""
    days_late: int | None = None
    """Days after the due date the first return arrived, when it was late."""

    @property
    def latest_received(self) -> datetime | None:
        """When the office's latest file (accepted or not) was received."""
        fallback = self.current.received_at if self.current else None
        return max((s.received_at for s in self.own), default=fallback)


def office_return(office: str, submissions: list[Submission], due: date) -> OfficeReturn:
    """Returned (on or before the due date), late, rejected (only rejected files so far) or
    missing: the one rule `status`, the report and the export share. A country that sent nothing
    of its own has returned when a regional workbook that counts filled its sheet.

    Lateness is judged by the earliest received accepted return with rows for the office, its own
    or a regional workbook's: a late correction does not make an on-time return late.
    `submissions` are the period's, in the order collected."""
    own = [s for s in submissions if s.office == office]
    covering = [s for s in submissions if s.accepted and s.office != office and office in s.countries]
    current = next((s for s in own if s.counts), None)
    via = None
    if current is None:
        current = next((s for s in reversed(covering) if s.counts), None)
        via = current.office if current else None
    if current is None:
        return OfficeReturn(ReturnState.REJECTED if own else ReturnState.MISSING, None, None, own)
    first = min((s for s in [*own, *covering] if s.accepted), key=lambda s: (s.received_at, s.id))
    late = (first.received_at.date() - due).days
    state = ReturnState.LATE if late > 0 else ReturnState.RETURNED
    return OfficeReturn(state, first, current, own, via, late if late > 0 else None)


def status(
    plan: Plan, store: Store, period: str | Period, issued: Mapping[str, IssuedMatrix] | None = None
) -> PeriodStatus:
    """Every expected office's state for `period`: returned, late, rejected or missing; with
    `issued` (office -> the matrix it was last sent for the period), the plan version it holds."""
    period_ = parse_for_plan(plan.reporting, period)
    due = due_date(plan.reporting, period_)
    submissions = store.submissions(plan, period_.id)
    offices = []
    index = plan_index(plan)
    for office in index.offices:
        found = office_return(office, submissions, due)
        shown = found.current or (found.own[-1] if found.own else None)
        sent = (issued or {}).get(office)
        offices.append(OfficeStatus(
            office=office, name=index.office_name(office), state=found.state, latest_return=found.latest_received,
            file=shown.file_name if shown else None, errors=shown.errors if shown else 0,
            warnings=shown.warnings if shown else 0, via=found.via,
            reason=_first_error(shown) if found.state is ReturnState.REJECTED and shown else None,
            matrix_version=sent.plan_hash if sent else None,
            outdated=sent is not None and sent.plan_hash != index.content_hash,
        ))
    return PeriodStatus(period_.id, due, offices)


def render_status(period_status: PeriodStatus) -> str:
    rows = [
        (o.office, o.name, o.state.value + (f" (in {o.via})" if o.via else ""),
         o.latest_return.date().isoformat() if o.latest_return else "", o.errors, o.warnings,
         _matrix(o), o.reason or "")
        for o in period_status.offices
    ]
    done = sum(o.state in (ReturnState.RETURNED, ReturnState.LATE) for o in period_status.offices)
    body = table(("office", "name", "state", "latest return", "errors", "warnings", "matrix", "first error"),
                 rows)
    text = (f"period {period_status.period}, due {period_status.due.isoformat()}\n{body}\n"
            f"{done} of {len(period_status.offices)} office(s) returned")
    if outdated := period_status.outdated:
        text += (f"\n{len(outdated)} office(s) hold a matrix of an earlier plan version "
                 f"({', '.join(o.office for o in outdated)}); `matrix generate PLAN --period "
                 f"{period_status.period} --outdated --force -o FOLDER` sends them one of the "
                 "current version")
    return text


def _matrix(office: OfficeStatus) -> str:
    """'current', 'outdated (c66f435d6120)', or nothing when no matrix sent is recorded."""
    if office.matrix_version is None:
        return ""
    return f"outdated ({office.matrix_version[:12]})" if office.outdated else "current"


def _first_error(submission: Submission) -> str | None:
    error = next((i for i in submission.problems if i.is_error), None)
    return error.message if error else None


@dataclass(frozen=True)
class HistoryEntry:
    period: str
    ref: str
    activity: str
    indicator: str
    unit: str
    target: float | None
    status: Status | None
    actual: float | None
    funds_secured: float | None
    comments: str
    next_steps: str
    support_needed: str
    received_at: datetime
    file: str
    """The return the value that counts came from."""
    disagreeing: tuple[str, ...] = ()
    """What other returns that count say differently for the row (`value-overlap` messages)."""

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value if self.status else None
        data["received_at"] = self.received_at.isoformat()
        data["disagreeing"] = list(self.disagreeing)
        return data


def history(plan: Plan, store: Store, country: str, activity: str | None = None) -> list[HistoryEntry]:
    """What `country` (or the region) reported, period by period, in plan order within a period."""
    country = country.strip().upper()
    index = plan_index(plan)
    if country not in index.reporting_offices:
        offices = ", ".join(index.reporting_offices)
        raise MatrixError(f"'{country}' is not in the plan; choose one of {offices}")
    rows = store.current_rows(plan, country=country)
    disagreeing: dict[tuple[str, str], list[str]] = {}
    for overlap in store.overlaps(plan, country=country):
        key = (overlap.counted.period, overlap.counted.ref)
        disagreeing.setdefault(key, []).append(overlap_issue(overlap).message)
    if activity is not None:
        rows = [r for r in rows if activity in (split_ref(r.row.ref)[0], r.row.ref)]
        if not rows and not any(activity == a.id for _, a in plan.activities()):
            raise MatrixError(f"activity '{activity}' is not in the plan and has no history")
    office = None if plan.region and country == plan.region.code else country
    order = {r.ref: n for n, r in enumerate(index.rows(office))}
    indicators = {r.ref: r for r in index.rows(office)}
    rows.sort(key=lambda s: (Period.parse(s.period), order.get(s.row.ref, len(order)), s.row.ref))
    entries = []
    for stored in rows:
        row, planned = stored.row, indicators.get(stored.row.ref)
        indicator = planned.indicator if planned else None
        entries.append(HistoryEntry(
            period=stored.period, ref=row.ref,
            activity=planned.activity.title if planned else split_ref(row.ref)[0],
            indicator=indicator.name if indicator else "", unit=(indicator.unit or "") if indicator else "",
            target=indicator.target if indicator else None, status=Status(row.status) if row.status else None,
            actual=row.actual,
            funds_secured=row.funds_secured, comments=row.comments, next_steps=row.next_steps,
            support_needed=row.support_needed, received_at=stored.received_at, file=stored.file_name,
            disagreeing=tuple(disagreeing.get((stored.period, row.ref), ())),
        ))
    return entries


def render_history(entries: list[HistoryEntry]) -> str:
    if not entries:
        return "nothing reported yet"
    rows = [
        (e.period, e.ref, e.status.value if e.status else "", number(e.actual), number(e.target), e.unit,
         e.comments, e.received_at.date().isoformat(), e.file)
        for e in entries
    ]
    body = table(
        ("period", "ref", "status", "actual", "target", "unit", "comments", "received", "source"), rows
    )
    notes = [f"note: {message}" for e in entries for message in e.disagreeing]
    return "\n".join([body, *notes])
