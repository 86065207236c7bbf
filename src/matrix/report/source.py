"""The report's input read from the store, and the one call `matrix report` makes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from matrix.files import Inputs, StandardOutput, Target
from matrix.models.plan import Plan
from matrix.models.returns import ProgressRecord, ProposedActivity
from matrix.pdf import find_browser, missing_browser, write_page
from matrix.periods import Period
from matrix.report.build import build_context, office_code
from matrix.report.context import ReportContext
from matrix.report.data import PeriodData, ReportData
from matrix.report.render import render_report

if TYPE_CHECKING:
    from matrix.store import Store


@dataclass(frozen=True)
class StoredRows:
    """One period's current rows, read from the open store each time they are iterated, so a
    report never holds every period's rows at once."""

    store: Store
    plan: Plan
    period: str
    office: str | None = None
    brief: bool = False

    def __iter__(self) -> Iterator[ProgressRecord]:
        return self.store.progress(self.plan, self.period, self.office, brief=self.brief)


def report_data(plan: Plan, store: Store, office: str | None = None) -> ReportData:
    """Every period's current progress (read when the report is computed, while `store` is open;
    only one office's rows for a one-office report) and every identified submission of this plan."""
    periods = {}
    for period in store.periods(plan):
        proposed: dict[str, list[ProposedActivity]] = {}
        for proposer, fields in store.proposed(plan, period):
            try:
                proposed.setdefault(proposer, []).append(ProposedActivity.model_validate(fields))
            except ValidationError:
                continue  # a stock-take row too damaged to compare; validation already reported it
        found = store.narratives(plan, [period], office)
        narratives = {stored.office: stored.narratives for stored in found}
        periods[period] = PeriodData(
            rows=StoredRows(store, plan, period, office),
            brief_rows=StoredRows(store, plan, period, office, brief=True),
            proposed=proposed,
            narratives=narratives,
        )
    submissions = [s for s in store.submissions(plan) if s.office and s.period]
    return ReportData(periods=periods, submissions=submissions)


def from_store(
    plan: Plan,
    store: Store,
    period: str | Period,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime | None = None,
) -> ReportContext:
    """The report's figures for `period`, read from one state of the store."""
    with store.reading():  # a period or office the plan lacks is a MatrixError
        return build_context(
            plan,
            report_data(plan, store, office_code(country)),
            period,
            country=country,
            lang=lang,
            generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        )


def make_report(
    plan: Plan,
    store: Store,
    period: str | Period,
    out: Target,
    *,
    country: str | None = None,
    lang: str = "en",
    generated_at: datetime | None = None,
    inputs: Inputs | None = None,
    pdf: bool = False,
) -> ReportContext:
    """Build the report for `period` from the store and write it to `out` (HTML, or PDF printed by
    Chromium when `pdf` or `out` ends in .pdf), never over the store or any of `inputs` (the plan);
    the figures it shows, as the context it was rendered from."""
    out = out if isinstance(out, StandardOutput) else Path(out)
    named_pdf = isinstance(out, Path) and out.suffix.lower() == ".pdf"
    kind = "pdf" if pdf or named_pdf else "html"  # any other name, and standard output: HTML
    inputs = inputs or Inputs()
    if store.path is not None:
        inputs.add_store(store.path)
    inputs.refuse(out)
    if kind == "pdf" and find_browser() is None:
        raise missing_browser()  # said before any figure is computed
    context = from_store(plan, store, period, country=country, lang=lang, generated_at=generated_at)
    write_page(render_report(context), out, kind, inputs=inputs)
    return context
