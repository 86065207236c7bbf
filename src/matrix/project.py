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
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from matrix.codes import Code
from matrix.errors import MatrixError, MatrixWarning, PlanError
from matrix.files import Inputs, StandardOutput, Target
from matrix.i18n import DEFAULT_LANG, phrase, render_issue, t
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.periods import Period, parse_for_plan, plan_period
from matrix.plan import load_plan
from matrix.signing import ProjectKey, created_notice, find_key, protected_inputs
from matrix.store.location import DEFAULT_STORE, STORE_ENV, StoreLocation
from matrix.versions import (
    FOLDER,
    VERSIONS_ENV,
    IssuedMatrix,
    PlanVersion,
    PlanVersions,
    VersionEntry,
    folder_issued,
    folder_versions,
    keep_in_folder,
    latest_issued,
    plan_history,
    record_issued_in_folder,
    version_text,
)

if TYPE_CHECKING:
    from matrix.annotate import FeedbackCopies
    from matrix.collect import CollectOutcome
    from matrix.compendium import CompendiumContext
    from matrix.plan.diff import PlanDiff
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
    warnings.warn(render_issue(issue, DEFAULT_LANG), MatrixWarning, stacklevel=5)


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
            raise MatrixError("error.no_plan", path=self.plan_file)
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

    @contextmanager
    def _store_if_any(self) -> Iterator[Store | None]:
        """The store when the project has one (a SQLite file not made yet is none), else None."""
        from matrix.store import NoStore, Store

        try:
            store = Store.open(self.store, create=False)
        except NoStore:
            yield None
            return
        with store:
            yield store

    # --- plan versions -------------------------------------------------------------------------

    @property
    def versions_folder(self) -> Path:
        """Where the project keeps its plan versions and the matrices sent: `.matrix` beside the
        plan, or `$MATRIX_VERSIONS` (for a plan folder that is shared or read-only)."""
        return Path(os.environ.get(VERSIONS_ENV) or self.folder / FOLDER)

    def versions(self) -> PlanVersions:
        """Every plan version the project keeps, in its folder and its store: what a return of
        an earlier version is read against."""
        with self._store_if_any() as store:
            return self._versions(store)

    def _versions(self, store: Store | None) -> PlanVersions:
        kept = folder_versions(self.versions_folder)
        where = phrase("versions.looked_in", folder=self.versions_folder / "plans")
        if store is not None:
            kept += store.plan_versions(self.plan.id)
            where = phrase(
                "versions.looked_in_store",
                folder=self.versions_folder / "plans",
                store=str(self.store),
            )
        issued = folder_issued(self.versions_folder)
        if store is not None:
            issued += store.issued(self.plan.id)
        return PlanVersions.of(kept, where, issued)

    def issued(self, period: str | Period | None = None) -> list[IssuedMatrix]:
        """The matrices generated for the plan (for `period`), oldest first, each once."""
        wanted = parse_for_plan(self.plan.reporting, period).id if period is not None else None
        found = [m for m in folder_issued(self.versions_folder) if m.plan_id == self.plan.id]
        with self._store_if_any() as store:
            if store is not None:
                found += store.issued(self.plan.id, wanted)
        unique = {(m.office, m.period, m.generated_at, m.file_name, m.plan_hash): m for m in found}
        return sorted(
            (m for m in unique.values() if wanted is None or m.period == wanted),
            key=lambda m: m.generated_at,
        )

    def outdated(self, period: str | Period) -> list[IssuedMatrix]:
        """The matrix each office was last sent for `period`, where it is of an earlier plan
        version than the current one."""
        current = self.plan.content_hash()
        wanted = parse_for_plan(self.plan.reporting, period).id
        latest = latest_issued(self.issued(wanted), wanted)
        return [m for m in latest.values() if m.plan_hash != current]

    def _copy_versions(self, store: Store) -> None:
        """The versions and matrices sent the folder holds, into the store: it may have been
        made after them, or refused them (`generate` by a role that may only read)."""
        stored = set(store.issued(self.plan.id))
        new = [m for m in folder_issued(self.versions_folder) if m.plan_id == self.plan.id]
        for version in folder_versions(self.versions_folder):
            if version.plan_id == self.plan.id:
                sent = [m for m in new if m.plan_hash == version.hash and m not in stored]
                store.keep_version(version, sent)

    def plan_history(self) -> list[VersionEntry]:
        """Every kept version of the plan, oldest first, and the current one."""
        return plan_history(self.plan, self.versions(), self.issued())

    def plan_version(self, ref: str) -> tuple[PlanVersion, Plan]:
        """A kept version of the plan by its hash or the start of it (`plan history` shows them)."""
        versions = self.versions()
        version = versions.find(self.plan.id, ref)
        plan = versions.plan(version.hash)
        if plan is None:
            raise MatrixError(
                "error.version_unreadable",
                version=version.hash[:12],
                folder=self.versions_folder / "plans",
            )
        return version, plan

    def plan_at(self, ref: str, lang: str = DEFAULT_LANG) -> tuple[Plan, str]:
        """A plan to compare, and where it came from: a plan file, `current` (the project's
        plan), or a kept version by the start of its hash."""
        from matrix.plan.load import read_plan

        if Path(ref).is_file():
            plan, issues = read_plan(ref)
            if plan is None:
                raise PlanError(ref, issues)
            return plan, ref
        if ref.strip().lower() == "current":
            return self.plan, t(lang, "versions.current", path=self.plan_file)
        version, plan = self.plan_version(ref)
        return plan, t(
            lang, "versions.kept", version=version.hash[:12], date=version.first_used.date()
        )

    def plan_diff(self, old: str, new: str, lang: str = DEFAULT_LANG) -> PlanDiff:
        """What changed from `old` to `new`, each a plan file, a kept version or `current`."""
        from matrix.plan import diff_plans

        (before, old_source), (after, new_source) = self.plan_at(old, lang), self.plan_at(new, lang)
        return diff_plans(before, after, old_source=old_source, new_source=new_source)

    def _version(self) -> PlanVersion:
        """The current plan as a version to keep, first used now."""
        return PlanVersion(
            self.plan.id,
            self.plan.content_hash(),
            version_text(self.plan, self.plan_file),
            datetime.now(UTC).replace(microsecond=0),
        )

    def generate(
        self,
        period: str | Period,
        *,
        countries: Iterable[str] | None = None,
        regional: bool = False,
        outdated: bool = False,
        lang: str | None = None,
        out: PathLike = ".",
        force: bool = False,
        prefill: bool = False,
        progress: Callable[[Path], None] | None = None,
        key_created: Callable[[Path], None] | None = None,
    ) -> list[Path]:
        """Write the matrix of every plan country (or of `countries`, or the one regional matrix)
        for `period` into `out`, each in its office's language (or `lang`), signed with the
        project key (made now if there is none yet; `key_created` is told where, by default with
        a `MatrixWarning`). With `outdated`, only
        the offices last sent a matrix of an earlier plan version for `period`, each in the
        language it had. `prefill` starts each row from the office's latest accepted answers in
        the store, and its overview and initiatives from its latest return. Existing workbooks
        are kept unless `force`. The plan version is kept (`versions`) and each workbook recorded
        as sent to its office (`issued`). A period that starts after every activity has ended is
        told to `on_warning`."""
        from matrix.generate import after_every_activity

        wanted = plan_period(self.plan, period)
        if (late := after_every_activity(self.plan, wanted)) is not None:
            self.on_warning(late)
        if not outdated:
            batches: list[tuple[list[str] | None, bool, str | None]] = [
                (list(countries) if countries else None, regional, lang)
            ]
        elif countries or regional:
            raise MatrixError("error.outdated_or_countries")
        else:
            batches = _outdated_batches(self.outdated(wanted))
        options: dict[str, Any] = {}
        written: list[Path] = []
        with ExitStack() as stack:
            store = stack.enter_context(self.opened_store()) if prefill else None
            if store is not None:
                options["prefill"] = store.latest_progress(self.plan, wanted.id)
                options["narratives"] = store.latest_narratives(self.plan, wanted.id)
            records = _Records(self, stack, store)
            for offices, is_regional, language in batches:
                sent = self._sent(records, wanted, offices, is_regional, language, progress)
                written += self._write(
                    wanted,
                    offices,
                    is_regional,
                    language,
                    out,
                    force,
                    sent,
                    key_created,
                    store,
                    options,
                )
        return written

    def _sent(
        self,
        records: _Records,
        period: Period,
        countries: list[str] | None,
        regional: bool,
        lang: str | None,
        progress: Callable[[Path], None] | None,
    ) -> Callable[[Path], None]:
        """What to do once each workbook is written: record that its office was sent the plan's
        version, then tell `progress`."""
        from matrix.generate import offices_to_write, workbook_name

        languages = {
            office: lang or self.plan.office_language(office)
            for office in offices_to_write(self.plan, countries, regional)
        }
        names = {
            workbook_name(office, period, self.plan, language): office
            for office, language in languages.items()
        }

        def sent(path: Path) -> None:
            office = names[path.name]
            records.sent(office, regional, period, languages[office], path)
            if progress:
                progress(path)

        return sent

    def _write(
        self,
        period: Period,
        countries: list[str] | None,
        regional: bool,
        lang: str | None,
        out: PathLike,
        force: bool,
        progress: Callable[[Path], None],
        key_created: Callable[[Path], None] | None,
        store: Store | None,
        options: dict[str, object],
    ) -> list[Path]:
        from matrix.generate import generate

        inputs = self.inputs()
        if options and store is not None and store.path is not None:
            inputs.add_store(store.path)
        return generate(
            self.plan,
            period,
            countries=countries,
            regional=regional,
            lang=lang,
            out_dir=Path(out),
            force=force,
            progress=progress,
            key=self.key,
            key_created=key_created or _key_created,
            inputs=inputs,
            **options,  # type: ignore[arg-type]
        )

    def validate(self, paths: Iterable[PathLike]) -> list[ValidationResult]:
        """Every returned workbook in `paths` (folders mean every workbook in them), checked
        against the plan (or the kept version it was made from) and the project key, in order;
        and, when the project has a store, against what it accepted for earlier periods, as
        `collect` checks them. Nothing is recorded; the store is read for versions the project
        folder does not keep and for the earlier periods."""
        from matrix.validation import checked_against_history, returned_workbooks, validate_paths

        files = returned_workbooks(map(Path, paths))
        results = validate_paths(self.plan, files, key=self.key, versions=self._versions(None))
        if not self.has_store:
            return results
        try:
            with self.opened_store() as store:
                results = self._read_with_stored_versions(store, files, results)
                checked = dict(
                    checked_against_history(
                        self.plan,
                        results,
                        lambda offices, period: store.earlier(self.plan, offices, period),
                    )
                )
        except MatrixError as exc:  # validating needs no store: say what was not compared
            self.on_warning(
                Code.HISTORY_UNAVAILABLE.issue(file=str(self.store), reason=exc.as_phrase())
            )
            return results
        return [checked[index] for index in range(len(results))]

    def _read_with_stored_versions(
        self, store: Store, files: list[Path], results: list[ValidationResult]
    ) -> list[ValidationResult]:
        """`results`, with the returns of a version the folder does not keep read again against
        the versions the store keeps too."""
        from matrix.validation import validate_paths

        unknown = [
            index
            for index, result in enumerate(results)
            if any(issue.code == Code.PLAN_VERSION_UNKNOWN.slug for issue in result.issues)
        ]
        if not unknown:
            return results
        again = [files[index] for index in unknown]
        redone = validate_paths(self.plan, again, key=self.key, versions=self._versions(store))
        results = list(results)
        for index, result in zip(unknown, redone, strict=True):
            results[index] = result
        return results

    @property
    def has_store(self) -> bool:
        """Whether the store is there to read: a SQLite file that exists, or a PostgreSQL URL."""
        return self.store.path is None or self.store.path.is_file()

    def feedback_copies(
        self, folder: PathLike, paths: Iterable[PathLike], *, lang: str = DEFAULT_LANG
    ) -> FeedbackCopies:
        """Where the annotated copies of the returns in `paths` go, in `folder`: refused now (a
        folder being read, a file matrix did not write) rather than after validating them all.
        `write(result)` writes one, in its workbook's language, and says so in `lang`."""
        from matrix.annotate import FeedbackCopies
        from matrix.validation import returned_workbooks

        given = [Path(path) for path in paths]
        files = returned_workbooks(given)
        return FeedbackCopies(
            Path(folder),
            files,
            self.inputs(returns=[*given, *files]),
            lang=lang,
            paper=self.plan.paper,
        )

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
            self._copy_versions(store)
            versions = self._versions(store)
            return collect(
                self.plan,
                files,
                store,
                period=period,
                received_at=received_at,
                progress=progress,
                key=key,
                versions=versions,
            )

    def status(self, period: str | Period, *, lang: str = DEFAULT_LANG) -> PeriodStatus:
        """Every expected office for `period`: returned, late, rejected or missing, and which
        plan version its matrix is of (names and reasons in `lang`)."""
        from matrix.status import status

        wanted = parse_for_plan(self.plan.reporting, period)
        issued = latest_issued(self.issued(wanted), wanted.id)
        with self.opened_store() as store:
            return status(self.plan, store, wanted, issued, lang)

    def history(
        self, country: str, activity: str | None = None, *, lang: str = DEFAULT_LANG
    ) -> list[HistoryEntry]:
        """What `country` (or the region) reported, period by period; one activity or ref (the
        plan's texts in `lang`)."""
        from matrix.status import history

        with self.opened_store() as store:
            return history(self.plan, store, country, activity, lang)

    def export(
        self,
        out: Target,
        fmt: str,
        *,
        period: str | Period | None = None,
        table: str = "rows",
        lang: str | None = None,
    ) -> int:
        """Write the consolidated dataset (xlsx, csv, json, hxl or iati) for `period`, or every
        period up to the latest collected; the number of rows written. A csv or hxl file holds
        one `table`: rows, proposed, initiatives, overviews or good_practices. Texts are in `lang`
        (default: the plan's language)."""
        from matrix.export import export

        with self.opened_store() as store:
            return export(
                self.plan,
                store,
                period,
                fmt,
                _target(out),
                table=table,
                inputs=self.inputs(),
                lang=lang or self.plan.language,
            )

    def report(
        self,
        period: str | Period,
        out: Target | None = None,
        *,
        country: str | None = None,
        lang: str | None = None,
        generated_at: datetime | None = None,
        pdf: bool = False,
    ) -> ReportContext:
        """The report for `period` (of one office with `country`): every figure it shows, as a
        typed context, also written to `out` when given: one self-contained HTML file, or a PDF
        printed by Chromium when `pdf` or `out` ends in .pdf; in `lang`, by default the plan's
        language."""
        from matrix.report.source import from_store, make_report

        lang = lang or self.plan.language
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
                pdf=pdf,
            )

    def compendium(
        self,
        out: Target,
        *,
        period: str | Period | None = None,
        first: str | Period | None = None,
        last: str | Period | None = None,
        lang: str | None = None,
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
                lang=lang or self.plan.language,
                generated_at=generated_at,
                inputs=self.inputs(),
            )


def _outdated_batches(
    outdated: list[IssuedMatrix],
) -> list[tuple[list[str] | None, bool, str | None]]:
    """(countries, regional, language) of each `generate` that sends the outdated offices a
    matrix of the current version, in the language each had."""
    batches: dict[tuple[bool, str], list[str]] = {}
    for matrix in sorted(outdated, key=lambda m: m.office):
        batches.setdefault((matrix.regional, matrix.lang), []).append(matrix.office)
    return [
        (None if regional else offices, regional, lang)
        for (regional, lang), offices in sorted(batches.items())
    ]


class _Records:
    """Where `generate` records what it sends: the plan version (first used when generating
    began) and each workbook's office, in the folder and in the store if the project has one.
    Both are touched only once a workbook is written, so a refused `generate` changes nothing."""

    def __init__(self, project: Project, stack: ExitStack, store: Store | None):
        self.project, self.stack = project, stack
        self.version = project._version()
        self._store, self._looked = store, store is not None

    def _opened_store(self) -> Store | None:
        if not self._looked:
            self._looked = True
            self._store = self.stack.enter_context(self.project._store_if_any())
        return self._store

    def sent(self, office: str, regional: bool, period: Period, lang: str, path: Path) -> None:
        version, folder = self.version, self.project.versions_folder
        keep_in_folder(folder, version)
        issued = IssuedMatrix(
            version.plan_id,
            version.hash,
            office,
            regional,
            period.id,
            lang,
            datetime.now(UTC).replace(microsecond=0),
            path.name,
        )
        record_issued_in_folder(folder, issued)
        if (store := self._opened_store()) is not None:
            from matrix.store import StoreError

            try:
                store.keep_version(version, [issued])
            except StoreError as exc:  # a role that may only read: the folder has it all
                self._store = None
                self.project.on_warning(
                    Code.STORE_VERSIONS_NOT_KEPT.issue(
                        file=str(self.project.store), folder=str(folder), reason=exc.as_phrase()
                    )
                )
