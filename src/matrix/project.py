"""A project folder as one object: its plan, the project key beside it and its store, with every
step of the cycle as a method. What the command line does, for scripts and notebooks:

    import matrix

    project = matrix.Project.open("sudan-2026")
    project.generate("2026-Q3", out="matrices/2026-Q3")
    outcomes = project.collect(["returns/2026-Q3"])
    print(project.status("2026-Q3").complete)
    context = project.report("2026-Q3", "report-2026-Q3.html")

The plan (and its index) is read once, when the project is opened; the key whenever a method
needs it, so a key `generate` has just made is the one `validate` checks with; the store is open
for the length of one method call.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from matrix.codes import Code
from matrix.errors import MatrixError, MatrixWarning
from matrix.files import Inputs, StandardOutput, Target
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.periods import Period, plan_period
from matrix.plan import load_plan
from matrix.signing import ProjectKey, created_notice, find_key, protected_inputs
from matrix.store.location import DEFAULT_STORE, STORE_ENV, StoreLocation

if TYPE_CHECKING:
    from matrix.annotate import FeedbackCopies
    from matrix.collect import CollectOutcome
    from matrix.compendium import CompendiumContext
    from matrix.report.context import ReportContext
    from matrix.status import HistoryEntry, PeriodStatus
    from matrix.store import Store

PLAN_FILE = "plan.yaml"

PathLike = str | Path


def _key_created(path: Path) -> None:
    """A project key made by `generate`: the notice the command line prints, as a warning."""
    warnings.warn(created_notice(path), MatrixWarning, stacklevel=4)


def _target(out: Target) -> Path | StandardOutput:
    """A file to write, or standard output (`matrix.files.STDOUT`) for a single-stream output."""
    return out if isinstance(out, StandardOutput) else Path(out)


def _warn(issue: Issue) -> None:
    """What a project does with a warning when no one else is told: a Python
    warning, which a script sees once and can filter (`MatrixWarning`)."""
    warnings.warn(issue.render(), MatrixWarning, stacklevel=5)


class Project:
    """`folder` is the project folder (holding plan.yaml) or the plan file itself. The key is
    found as `matrix` finds it (beside the plan, or `$MATRIX_KEY_FILE`); the store is `store`,
    (a SQLite file, a postgresql:// URL or a `StoreLocation`), else `$MATRIX_STORE`, else
    matrix.sqlite in the project folder. `on_warning` hears about stored periods that every
    reading leaves out, and matrices generated for a period after every activity has ended
    (default: a `MatrixWarning`)."""

    def __init__(
        self,
        folder: PathLike = ".",
        store: PathLike | StoreLocation | None = None,
        *,
        on_warning: Callable[[Issue], None] = _warn,
    ):
        given = Path(folder)
        self.plan_file: Path = given / PLAN_FILE if given.is_dir() else given
        if not self.plan_file.is_file():
            raise MatrixError(
                f"no plan at {self.plan_file}; give the project folder or its plan (--plan PLAN)"
            )
        self.folder: Path = self.plan_file.parent
        if not isinstance(store, StoreLocation):
            store = StoreLocation.parse(
                store or os.environ.get(STORE_ENV) or self.folder / DEFAULT_STORE
            )
        self.store: StoreLocation = store
        """Where the store is: `store.path` for a SQLite file; shown with any password masked."""
        self.on_warning = on_warning
        self.plan: Plan = load_plan(self.plan_file)

    @classmethod
    def open(
        cls,
        folder: PathLike = ".",
        store: PathLike | StoreLocation | None = None,
        *,
        on_warning: Callable[[Issue], None] = _warn,
    ) -> Self:
        """The project in `folder`, its plan loaded and checked (PlanError listing its errors)."""
        return cls(folder, store, on_warning=on_warning)

    def __repr__(self) -> str:
        return f"Project({str(self.plan_file)!r}, store={str(self.store)!r})"  # password masked

    @property
    def key(self) -> ProjectKey:
        """The project key, read when asked for (`secret` None while there is none yet: `generate`
        makes it)."""
        return find_key(self.plan_file)

    def inputs(self, returns: Iterable[PathLike] = ()) -> Inputs:
        """What no output may overwrite: the plan, the project key and `returns`."""
        return protected_inputs(self.plan_file, returns)

    @contextmanager
    def opened_store(self, *, create: bool = False) -> Iterator[Store]:
        """The store, open for one job; each stored period it leaves out is told to `on_warning`."""
        from matrix.store import Store

        with Store.open(self.store, create=create) as store:
            for issue in store.left_out(self.plan):
                self.on_warning(issue)
            yield store

    # --- the cycle, in order -------------------------------------------------------------------

    def generate(
        self,
        period: str | Period,
        *,
        countries: Iterable[str] | None = None,
        regional: bool = False,
        lang: str = "en",
        out: PathLike = ".",
        force: bool = False,
        prefill: bool = False,
        progress: Callable[[Path], None] | None = None,
        key_created: Callable[[Path], None] | None = None,
    ) -> list[Path]:
        """Write the matrix of every plan country (or of `countries`, or the one regional matrix)
        for `period` into `out`, signed with the project key (made now if there is none yet;
        `key_created` is told where, by default with a `MatrixWarning`). `prefill` starts each row
        from the office's latest accepted answers in the store, and its overview and initiatives
        from its latest return. Existing workbooks are kept unless `force`. A period that starts
        after every activity has ended is told to `on_warning`."""
        from matrix.generate import after_every_activity, generate

        key, inputs = self.key, self.inputs()
        wanted = plan_period(self.plan, period)
        if (late := after_every_activity(self.plan, wanted)) is not None:
            self.on_warning(late)
        options = {}
        if prefill:
            with self.opened_store() as store:
                options["prefill"] = store.latest_progress(self.plan, wanted.id)
                options["narratives"] = store.latest_narratives(self.plan, wanted.id)
                if store.path is not None:
                    inputs.add_store(store.path)
        return generate(
            self.plan,
            period,
            countries=list(countries) if countries else None,
            regional=regional,
            lang=lang,
            out_dir=Path(out),
            force=force,
            progress=progress,
            key=key,
            key_created=key_created or _key_created,
            inputs=inputs,
            **options,
        )

    def validate(self, paths: Iterable[PathLike]) -> list[ValidationResult]:
        """Every returned workbook in `paths` (folders mean every workbook in them), checked
        against the plan and the project key, in order; and, when the project has a store, against
        what it accepted for earlier periods, as `collect` checks them. Nothing is recorded."""
        from matrix.validation import checked_against_history, returned_workbooks, validate_paths

        results = validate_paths(self.plan, returned_workbooks(map(Path, paths)), key=self.key)
        if not self.has_store:
            return results
        try:
            with self.opened_store() as store:
                checked = dict(checked_against_history(
                    self.plan, results, lambda offices, period: store.earlier(self.plan, offices, period)
                ))
        except MatrixError as exc:  # validating needs no store: say what was not compared
            self.on_warning(Code.HISTORY_UNAVAILABLE.issue(file=str(self.store), reason=str(exc)))
            return results
        return [checked[index] for index in range(len(results))]

    @property
    def has_store(self) -> bool:
        """Whether the store is there to read: a SQLite file that exists, or a PostgreSQL URL."""
        return self.store.path is None or self.store.path.is_file()

    def feedback_copies(self, folder: PathLike, paths: Iterable[PathLike]) -> FeedbackCopies:
        """Where the annotated copies of the returns in `paths` go, in `folder`: refused now (a
        folder being read, a file matrix did not write) rather than after validating them all.
        `write(result)` writes one."""
        from matrix.annotate import FeedbackCopies
        from matrix.validation import returned_workbooks

        given = [Path(path) for path in paths]
        files = returned_workbooks(given)
        return FeedbackCopies(Path(folder), files, self.inputs(returns=[*given, *files]))

    def collect(
        self,
        paths: Iterable[PathLike],
        *,
        period: str | Period | None = None,
        received_at: datetime | None = None,
        progress: Callable[[CollectOutcome], None] | None = None,
    ) -> list[CollectOutcome]:
        """Validate every returned workbook in `paths` and record it in the store (created if
        need be); with `period`, returns for another period are rejected. Ctrl-C stops between
        two files with `CollectInterrupted`, each file recorded whole or not at all."""
        from matrix.collect import collect
        from matrix.validation import returned_workbooks

        given = [Path(path) for path in paths]
        files = returned_workbooks(given)
        if self.store.path is not None:
            self.inputs(returns=[*given, *files]).refuse(self.store.path)
        key = self.key
        with self.opened_store(create=True) as store:
            return collect(
                self.plan,
                files,
                store,
                period=period,
                received_at=received_at,
                progress=progress,
                key=key,
            )

    def status(self, period: str | Period) -> PeriodStatus:
        """Every expected office for `period`: returned, late, rejected or missing."""
        from matrix.status import status

        with self.opened_store() as store:
            return status(self.plan, store, period)

    def history(self, country: str, activity: str | None = None) -> list[HistoryEntry]:
        """What `country` (or the region) reported, period by period; one activity or ref."""
        from matrix.status import history

        with self.opened_store() as store:
            return history(self.plan, store, country, activity)

    def export(
        self, out: Target, fmt: str, *, period: str | Period | None = None, table: str = "rows"
    ) -> int:
        """Write the consolidated dataset (xlsx, csv, json, hxl or iati) for `period`, or every
        period up to the latest collected; the number of rows written. A csv or hxl file holds
        one `table`: rows, proposed, initiatives, overviews or good_practices."""
        from matrix.export import export

        with self.opened_store() as store:
            return export(
                self.plan, store, period, fmt, _target(out), table=table, inputs=self.inputs()
            )

    def report(
        self,
        period: str | Period,
        out: Target | None = None,
        *,
        country: str | None = None,
        lang: str = "en",
        generated_at: datetime | None = None,
    ) -> ReportContext:
        """The report for `period` (of one office with `country`): every figure it shows, as a
        typed context, also written to `out` as one self-contained HTML file when given."""
        from matrix.report.source import from_store, make_report

        with self.opened_store() as store:
            if out is None:
                return from_store(
                    self.plan, store, period, country=country, lang=lang, generated_at=generated_at
                )
            return make_report(
                self.plan,
                store,
                period,
                _target(out),
                country=country,
                lang=lang,
                generated_at=generated_at,
                inputs=self.inputs(),
            )

    def compendium(
        self,
        out: Target,
        *,
        period: str | Period | None = None,
        first: str | Period | None = None,
        last: str | Period | None = None,
        lang: str = "en",
        generated_at: datetime | None = None,
    ) -> CompendiumContext:
        """Every good practice the offices described, by action point, country and period, written
        to `out` (.html, or .pdf printed by Chromium): of `period`, of `first` to `last`, or of
        every period collected. The compiled practices, as the context it was rendered from."""
        from matrix.compendium import make_compendium

        with self.opened_store() as store:
            return make_compendium(
                self.plan,
                store,
                _target(out),
                period=period,
                first=first,
                last=last,
                lang=lang,
                generated_at=generated_at,
                inputs=self.inputs(),
            )
