"""The report's input read from the store, and the one call `matrix report` makes."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from matrix.files import Inputs, StandardOutput, Target
from matrix.gcpause import cycle_collection_paused
from matrix.models.plan import Plan
from matrix.models.returns import Narratives, ProgressRecord, ProposedActivity
from matrix.pdf import find_browser, missing_browser, write_page
from matrix.periods import Period, parse_for_plan
from matrix.plan import expected_offices
from matrix.report.build import build_context, office_code
from matrix.report.context import ReportContext
from matrix.report.data import PeriodData, ReportData
from matrix.report.render import render_report
from matrix.report.summaries import complete, inputs, usable

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


def refresh(plan: Plan, store: Store) -> int:
    """Work out and keep the offices' summaries (`matrix.report.summaries`) the store lacks or
    holds stale, as `collect` does once it has recorded returns; how many were kept (none when
    this login may not). Read from one state of the store, written in one transaction; only the
    offices with some summary missing or stale are read and worked out."""
    with store.reading(), cycle_collection_paused():
        stored = store.periods(plan)
        wanted = inputs(plan, store.submissions(plan), stored)
        kept = store.summary_inputs(plan)
        first = Period.parse(plan.reporting.first_period)
        periods = [p for p in map(Period.parse, stored) if p >= first]
        lacking = [
            office
            for office in expected_offices(plan)
            if any(kept.get((office, p.id)) != wanted[(office, p.id)] for p in periods)
        ]
        if not lacking:
            return 0
        known = usable(store.summaries(plan, lacking, rows_of=()), wanted)  # resumed from
        only = lacking[0] if len(lacking) == 1 else None  # then read its rows only
        data = ReportData(
            periods={
                p.id: PeriodData(brief_rows=StoredRows(store, plan, p.id, only, brief=True))
                for p in periods
            }
        )
        found = complete(plan, data, lacking, periods, known)
    new = [
        summary.stored(office, period, wanted[(office, period)])
        for (office, period), summary in found.items()
        if (office, period) not in known
    ]
    return len(new) if new and store.keep_summaries(plan, new) else 0


def report_data(
    plan: Plan, store: Store, office: str | None = None, *, compared: Collection[str] | None = None
) -> ReportData:
    """Every period's current progress (read when the report is computed, while `store` is open;
    only one office's rows for a one-office report), every identified submission of this plan,
    and the kept summaries, with their rows for the `compared` periods only, if given."""
    periods = {}
    stored_periods = store.periods(plan)
    narratives: dict[str, dict[str, Narratives]] = {period: {} for period in stored_periods}
    for found in store.narratives(plan, stored_periods, office):  # oldest first: the last counts
        narratives[found.period][found.office] = found.narratives
    for period in stored_periods:
        proposed: dict[str, list[ProposedActivity]] = {}
        for proposer, fields in store.proposed(plan, period):
            try:
                proposed.setdefault(proposer, []).append(ProposedActivity.model_validate(fields))
            except ValidationError:
                continue  # a stock-take row too damaged to compare; validation already reported it
        periods[period] = PeriodData(
            rows=StoredRows(store, plan, period, office),
            brief_rows=StoredRows(store, plan, period, office, brief=True),
            some_rows=partial(store.progress_of, plan, period),
            proposed=proposed,
            narratives=narratives[period],
        )
    received = store.submissions(plan)
    wanted = inputs(plan, received, list(periods))
    if office is not None:
        wanted = {key: digest for key, digest in wanted.items() if key[0] == office}
    return ReportData(
        periods=periods,
        submissions=[s for s in received if s.office and s.period],
        summaries=usable(store.summaries(plan, rows_of=compared), wanted),
    )


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
    # a period or office the plan lacks is a MatrixError
    current = parse_for_plan(plan.reporting, period)
    compared = {current.id, current.previous().id}
    with store.reading(), cycle_collection_paused():
        return build_context(
            plan,
            report_data(plan, store, office_code(country), compared=compared),
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
