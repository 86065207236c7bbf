"""Collect returned workbooks: validate each one (the same rules as `matrix validate`) and record
it in the store, one transaction per file, so an interrupted run can simply be run again."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from matrix.codes import Code
from matrix.i18n import format_number, issue_message, t
from matrix.models.issues import Issue, tally
from matrix.models.plan import Plan
from matrix.models.returns import History, ValidationResult
from matrix.periods import Period, plan_period
from matrix.report.source import refresh
from matrix.signing import ProjectKey
from matrix.store import Outcome, Store, StoreError, overlap_issue
from matrix.text_table import table
from matrix.validation import checked_against_history, returned_workbooks, validate_paths
from matrix.versions import PlanVersions

BATCH = 16
"""Files validated together (in parallel) before their results are recorded one by one."""


@dataclass(frozen=True)
class CollectOutcome:
    file: Path
    office: str | None
    period: str | None
    status: Outcome
    reason: str | None
    """The first error of a rejected file (or why a file was skipped), as `sheet!cell: message`
    in English; `problem` is the issue, to show in any language."""
    errors: int
    warnings: int
    submission_id: int | None
    """None for a skipped file, which is not recorded."""
    problem: Issue | None = None
    plan_changes: int = 0
    """Notes on how the plan changed since the return's matrix was generated (info issues)."""
    overlaps: tuple[Issue, ...] = ()
    """Rows this file and another return that counts report differently (`value-overlap`)."""


class CollectInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a collect between two files: what was recorded before it."""

    def __init__(self, outcomes: list[CollectOutcome], total: int, signum: int):
        super().__init__(signum)
        self.outcomes = outcomes
        self.total = total
        self.signum = signum


def collect(
    plan: Plan,
    paths: Iterable[str | Path],
    store: Store,
    *,
    period: str | Period | None = None,
    received_at: datetime | None = None,
    progress: Callable[[CollectOutcome], None] | None = None,
    key: ProjectKey | None = None,
    versions: PlanVersions | None = None,
) -> list[CollectOutcome]:
    """Validate and record every file; with `period`, a return for another period is rejected.
    `key` is the project key signatures are checked with; `versions` the plan versions kept, so
    a matrix of an earlier version is read and its rows carried onto `plan`. Each file is recorded
    whole or not at all: after a StoreError, running again records the rest.

    Returns are checked against what was accepted for earlier periods (`Store.earlier`). Ctrl-C (or
    SIGTERM) stops it cleanly: each file is recorded whole or not at all, and `CollectInterrupted`
    carries what was recorded.
    """
    wanted = plan_period(plan, period).id if period is not None else None
    files = returned_workbooks(paths)
    outcomes: dict[Path, CollectOutcome] = {}
    previous = store.earlier(plan, None, wanted) if wanted else None
    try:
        for start in range(0, len(files), BATCH):
            batch = files[start : start + BATCH]
            for index, result in _validated(plan, store, batch, wanted, previous, key, versions):
                try:
                    outcome = _record(plan, store, batch[index], result, wanted, received_at)
                except StoreError as exc:
                    raise StoreError(
                        "error.store_stopped",
                        reason=exc.as_phrase(),
                        count=len(outcomes),
                        total=len(files),
                    ) from None
                outcomes[batch[index]] = outcome
                if progress:
                    progress(outcome)
    except KeyboardInterrupt as stop:
        done = [outcomes[path] for path in files if path in outcomes]
        raise CollectInterrupted(done, len(files), getattr(stop, "signum", signal.SIGINT)) from None
    if any(o.status in COUNTABLE for o in outcomes.values()):
        keep_summaries(plan, store)
    return with_overlaps(plan, store, [outcomes[path] for path in files])


def keep_summaries(plan: Plan, store: Store) -> None:
    """Keep the offices' figures the new returns changed, so the next report need not work them
    out from every row (`matrix.report.summaries`). The returns are recorded whatever happens
    here: a summary the store could not keep is worked out by the report, and kept by the next
    collect."""
    try:
        refresh(plan, store)
    except StoreError:
        pass


def with_overlaps(plan: Plan, store: Store, outcomes: list[CollectOutcome]) -> list[CollectOutcome]:
    """Each outcome with the rows its file and another return that counts report differently,
    found once every file is recorded, so they do not depend on the order of the files: each
    told with the file whose value does not count when it is one of these, else the other."""
    recorded = {
        o.submission_id: n
        for n, o in enumerate(outcomes)
        if o.submission_id is not None and o.status in COUNTABLE
    }
    if not recorded:
        return outcomes
    found: dict[int, list[Issue]] = {}
    for overlap in store.overlaps(plan, submission_ids=recorded):
        side = overlap.other if overlap.other.submission_id in recorded else overlap.counted
        found.setdefault(recorded[side.submission_id], []).append(overlap_issue(overlap))
    return [replace(o, overlaps=tuple(found.get(n, ()))) for n, o in enumerate(outcomes)]


def _record(
    plan: Plan,
    store: Store,
    file: Path,
    result: ValidationResult,
    period: str | None,
    received_at: datetime | None,
) -> CollectOutcome:
    """Record one validated file, except a file that is no return at all."""
    if result.skipped:
        problem = result.issues[0]
        return CollectOutcome(
            file, None, None, Outcome.SKIPPED, problem.message, 0, len(result.issues), None, problem
        )
    result = _check_period(result, period)
    recorded = store.record(result, plan, received_at)  # a StoreError is the caller's to count
    identity = result.identity
    errors = [issue for issue in result.issues if issue.is_error]
    warnings = tally(result.issues)[1]
    return CollectOutcome(
        file=file,
        office=identity.office if identity else None,
        period=identity.period if identity else None,
        status=recorded.outcome,
        reason=_reason(errors[0], "en")
        if errors and recorded.outcome is Outcome.REJECTED
        else None,
        errors=len(errors),
        warnings=warnings,
        submission_id=recorded.submission_id,
        problem=errors[0] if errors and recorded.outcome is Outcome.REJECTED else None,
        plan_changes=len(result.issues) - len(errors) - warnings,
    )


def _validated(
    plan: Plan,
    store: Store,
    batch: list[Path],
    period: str | None,
    previous: History | None,
    key: ProjectKey | None,
    versions: PlanVersions | None,
) -> Iterator[tuple[int, ValidationResult]]:
    """(index in batch, result) in the order to record them, each checked against what was
    accepted for earlier periods: with --period, `previous`, the same for the whole run. Without,
    a file's period is only known once it is read, so returns are checked against history after
    reading, period by period, oldest first: the caller records each period's returns before the
    next period's are checked against them."""
    if period is not None:
        yield from enumerate(
            validate_paths(plan, batch, previous=previous, key=key, versions=versions)
        )
        return
    results = validate_paths(plan, batch, key=key, versions=versions)
    yield from checked_against_history(
        plan, results, lambda offices, found: store.earlier(plan, offices, found)
    )


def _check_period(result: ValidationResult, period: str | None) -> ValidationResult:
    if period is None or result.identity is None or result.identity.period == period:
        return result
    issue = Code.PERIOD_NOT_COLLECTED.issue(
        file=result.file, found=result.identity.period, expected=period
    )
    return result.model_copy(update={"issues": [*result.issues, issue], "rows": [], "proposed": []})


def _reason(issue: Issue, lang: str) -> str:
    """'Matrix!O4: message': the file is already named next to it; a skipped file's issue is not
    about a cell, so its message alone."""
    place = f"{issue.sheet}!{issue.cell}" if issue.sheet and issue.cell else issue.sheet
    message = issue_message(issue, lang)
    return t(lang, "collect.reason", place=place, message=message) if place else message


COUNTABLE = frozenset({Outcome.ACCEPTED, Outcome.SUPERSEDED, Outcome.OUTDATED})
"""Outcomes of a file recorded as accepted."""
OUTCOME_KEYS = {
    Outcome.ACCEPTED: "accepted",
    Outcome.SUPERSEDED: "superseded",
    Outcome.OUTDATED: "outdated",
    Outcome.DUPLICATE: "duplicate",
    Outcome.REJECTED: "rejected",
    Outcome.SKIPPED: "skipped",
}
"""Catalogue keys (`collect.result.<key>`, `collect.count.<key>`) of each outcome."""


def first_reason(outcome: CollectOutcome, lang: str) -> str | None:
    """Why a file was rejected or skipped, in `lang`."""
    return _reason(outcome.problem, lang) if outcome.problem else outcome.reason


def rejections(outcomes: list[CollectOutcome], lang: str = "en") -> list[str]:
    """What `collect --quiet` prints: each rejected file, with its first reason, on one line."""
    return [
        t(lang, "collect.rejected_line", file=o.file, reason=first_reason(o, lang) or "").rstrip()
        for o in outcomes
        if o.status is Outcome.REJECTED
    ]


def render_outcomes(outcomes: list[CollectOutcome], lang: str = "en") -> str:
    """The table `matrix collect` prints, and a last line counting each outcome."""
    changed = any(o.plan_changes for o in outcomes)
    rows = [
        (
            o.file.name,
            o.office or "?",
            o.period or "?",
            t(lang, f"collect.result.{OUTCOME_KEYS[o.status]}"),
            format_number(o.errors, lang),
            format_number(o.warnings, lang),
            *([format_number(o.plan_changes, lang) if o.plan_changes else ""] if changed else []),
            first_reason(o, lang) or "",
        )
        for o in outcomes
    ]
    counts = [
        t(lang, f"collect.count.{key}", count=sum(o.status is outcome for o in outcomes))
        for outcome, key in OUTCOME_KEYS.items()
    ]
    keys = (
        "file",
        "office",
        "period",
        "result",
        "errors",
        "warnings",
        *(["plan_changes"] if changed else []),
        "reason",
    )
    headers = [t(lang, f"collect.col.{key}") for key in keys]
    lines = [table(headers, rows), t(lang, "collect.summary", count=len(outcomes), outcomes=counts)]
    if any(o.status is Outcome.REJECTED for o in outcomes):
        lines.append(t(lang, "collect.hint"))
    if changed:
        lines.append(t(lang, "collect.hint_carried"))
    if any(o.status is Outcome.OUTDATED for o in outcomes):
        lines.append(t(lang, "collect.hint_outdated"))
    lines += [
        f"{issue.file}  {issue.code}  {issue_message(issue, lang)}"
        for o in outcomes
        for issue in o.overlaps
    ]
    return "\n".join(lines)
