"""Who returned what: each expected office's return for a period, and a country's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum

from matrix.errors import MatrixError
from matrix.i18n import format_day, format_number, issue_message, status_label, t
from matrix.models.issues import Issue
from matrix.models.plan import Plan, Status, in_language
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
        return {
            "schema_version": 1,
            "period": self.period,
            "due": self.due.isoformat(),
            "complete": self.complete,
            "offices": [o.as_json() for o in self.offices],
        }


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
    covering = [
        s for s in submissions if s.accepted and s.office != office and office in s.countries
    ]
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
    plan: Plan,
    store: Store,
    period: str | Period,
    issued: Mapping[str, IssuedMatrix] | None = None,
    lang: str = "en",
) -> PeriodStatus:
    """Every expected office's state for `period`: returned, late, rejected or missing; with
    `issued` (office -> the matrix it was last sent for the period), the plan version it holds;
    names and the first error of a rejected return in `lang`."""
    period_ = parse_for_plan(plan.reporting, period)
    due = due_date(plan.reporting, period_)
    submissions = store.submissions(plan, period_.id)
    offices = []
    index = plan_index(plan)
    for office in index.offices:
        found = office_return(office, submissions, due)
        shown = found.current or (found.own[-1] if found.own else None)
        sent = (issued or {}).get(office)
        offices.append(
            OfficeStatus(
                office=office,
                name=index.office_name(office, lang),
                state=found.state,
                latest_return=found.latest_received,
                file=shown.file_name if shown else None,
                errors=shown.errors if shown else 0,
                warnings=shown.warnings if shown else 0,
                via=found.via,
                reason=_first_error(shown, lang)
                if found.state is ReturnState.REJECTED and shown
                else None,
                matrix_version=sent.plan_hash if sent else None,
                outdated=sent is not None and sent.plan_hash != index.content_hash,
            )
        )
    return PeriodStatus(period_.id, due, offices)


def render_status(period_status: PeriodStatus, lang: str = "en") -> str:
    rows = []
    for o in period_status.offices:
        state = t(lang, f"returns.state.{o.state.value}")
        rows.append(
            (
                o.office,
                o.name,
                t(lang, "returns.via", state=state, office=o.via) if o.via else state,
                format_day(o.latest_return, lang) if o.latest_return else "",
                format_number(o.errors, lang),
                format_number(o.warnings, lang),
                _matrix(o, lang),
                o.reason or "",
            )
        )
    done = sum(o.state in (ReturnState.RETURNED, ReturnState.LATE) for o in period_status.offices)
    headers = [
        t(lang, f"returns.col.{key}")
        for key in (
            "office",
            "name",
            "state",
            "latest",
            "errors",
            "warnings",
            "matrix",
            "first_error",
        )
    ]
    lines = [
        t(lang, "returns.heading", period=period_status.period, due=period_status.due),
        table(headers, rows),
        t(lang, "returns.done", done=done, count=len(period_status.offices)),
    ]
    if outdated := period_status.outdated:
        lines.append(
            t(
                lang,
                "returns.outdated",
                count=len(outdated),
                offices=", ".join(o.office for o in outdated),
                period=period_status.period,
            )
        )
    return "\n".join(lines)


def _matrix(office: OfficeStatus, lang: str) -> str:
    """'current', 'outdated (c66f435d6120)', or nothing when no matrix sent is recorded."""
    if office.matrix_version is None:
        return ""
    if office.outdated:
        return t(lang, "returns.matrix.outdated", version=office.matrix_version[:12])
    return t(lang, "returns.matrix.current")


def _first_error(submission: Submission, lang: str) -> str | None:
    error = next((i for i in submission.problems if i.is_error), None)
    return issue_message(error, lang) if error else None


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
    disagreeing: tuple[Issue, ...] = ()
    """What other returns that count say differently for the row (`value-overlap`)."""

    def as_json(self, lang: str = "en") -> dict[str, object]:
        data = asdict(self)
        data["status"] = self.status.value if self.status else None
        data["received_at"] = self.received_at.isoformat()
        data["disagreeing"] = [issue_message(issue, lang) for issue in self.disagreeing]
        return data


def history(
    plan: Plan, store: Store, country: str, activity: str | None = None, lang: str = "en"
) -> list[HistoryEntry]:
    """What `country` (or the region) reported, period by period, in plan order within a period;
    the plan's texts in `lang` where it translates them."""
    country = country.strip().upper()
    index = plan_index(plan)
    if country not in index.reporting_offices:
        raise MatrixError(
            "error.not_an_office", office=country, offices=list(index.reporting_offices)
        )
    rows = store.current_rows(plan, country=country)
    disagreeing: dict[tuple[str, str], list[Issue]] = {}
    for overlap in store.overlaps(plan, country=country):
        key = (overlap.counted.period, overlap.counted.ref)
        disagreeing.setdefault(key, []).append(overlap_issue(overlap))
    if activity is not None:
        rows = [r for r in rows if activity in (split_ref(r.row.ref)[0], r.row.ref)]
        if not rows and not any(activity == a.id for _, a in plan.activities()):
            raise MatrixError("error.unknown_activity", activity=activity)
    office = None if plan.region and country == plan.region.code else country
    order = {r.ref: n for n, r in enumerate(index.rows(office))}
    indicators = {r.ref: r for r in index.rows(office)}
    rows.sort(key=lambda s: (Period.parse(s.period), order.get(s.row.ref, len(order)), s.row.ref))
    entries = []
    for stored in rows:
        row, planned = stored.row, indicators.get(stored.row.ref)
        indicator = planned.indicator if planned else None
        entries.append(
            HistoryEntry(
                period=stored.period,
                ref=row.ref,
                activity=in_language(planned.activity.title, lang)
                if planned
                else split_ref(row.ref)[0],
                indicator=in_language(indicator.name, lang) if indicator else "",
                unit=in_language(indicator.unit, lang) if indicator and indicator.unit else "",
                target=indicator.target if indicator else None,
                status=Status(row.status) if row.status else None,
                actual=row.actual,
                funds_secured=row.funds_secured,
                comments=row.comments,
                next_steps=row.next_steps,
                support_needed=row.support_needed,
                received_at=stored.received_at,
                file=stored.file_name,
                disagreeing=tuple(disagreeing.get((stored.period, row.ref), ())),
            )
        )
    return entries


def render_history(entries: list[HistoryEntry], lang: str = "en") -> str:
    if not entries:
        return t(lang, "history.none")
    rows = [
        (
            e.period,
            e.ref,
            status_label(e.status, lang) if e.status else "",
            number(e.actual, lang),
            number(e.target, lang),
            e.unit,
            e.comments,
            format_day(e.received_at, lang),
            e.file,
        )
        for e in entries
    ]
    headers = [
        t(lang, f"history.col.{key}")
        for key in (
            "period",
            "ref",
            "status",
            "actual",
            "target",
            "unit",
            "comments",
            "received",
            "source",
        )
    ]
    notes = [
        t(lang, "history.note", message=issue_message(issue, lang))
        for e in entries
        for issue in e.disagreeing
    ]
    return "\n".join([table(headers, rows), *notes])
