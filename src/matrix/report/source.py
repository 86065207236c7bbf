"""The report's input read from the SQLite store, and the one call `matrix report` makes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from matrix.errors import MatrixError
from matrix.models.plan import Plan
from matrix.models.returns import ProposedActivity
from matrix.report.build import build_context
from matrix.report.context import ReportContext
from matrix.report.data import PeriodData, ReportData, Submission
from matrix.report.render import write_report

if TYPE_CHECKING:
    from matrix.store import Store


def report_data(plan: Plan, store: Store) -> ReportData:
    """Every period's current progress and every identified submission of this plan."""
    periods = {}
    for period in store.periods(plan):
        proposed: dict[str, list[ProposedActivity]] = {}
        for office, fields in store.proposed(plan, period):
            try:
                proposed.setdefault(office, []).append(ProposedActivity.model_validate(fields))
            except ValidationError:
                continue  # a stock-take row too damaged to compare; validation already reported it
        periods[period] = PeriodData(rows=[s.row for s in store.current_rows(plan, period)], proposed=proposed)
    submissions = [
        Submission(
            office=s.office, period=s.period, file=s.file_name, received_at=s.received_at, accepted=s.accepted,
            superseded=s.superseded_by is not None, countries=sorted(s.countries),
            issues=s.problems,
        )
        for s in store.submissions(plan)
        if s.office and s.period
    ]
    return ReportData(periods=periods, submissions=submissions)


def from_store(
    plan: Plan,
    store: Store,
    period: str,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime | None = None,
) -> ReportContext:
    try:
        return build_context(
            plan, report_data(plan, store), period, country=country, lang=lang,
            generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        )
    except ValueError as exc:
        raise MatrixError(str(exc)) from None


def make_report(
    plan: Plan,
    store: Store,
    period: str,
    out: str | Path,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime | None = None,
) -> Path:
    """Build the report for `period` from the store and write it to `out`."""
    return write_report(from_store(plan, store, period, country=country, lang=lang, generated_at=generated_at), out)
