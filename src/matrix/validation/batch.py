"""Validating many returns: directories expanded, files in worker processes for large batches,
results in input order, and a file that kills its reader reported instead of stopping the run."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.models.plan import Plan
from matrix.models.returns import History, ValidationResult
from matrix.periods import Period
from matrix.signing import ProjectKey
from matrix.validation.workbook import validate_file, with_previous
from matrix.versions import PlanVersions

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
"""What a directory of returns is searched for; .xls and .csv only to tell people to resend."""
PARALLEL_FROM = 8
"""Below this many files, starting worker processes costs more than it saves."""
PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal a process gets when its parent dies."""

_worker: tuple[Plan, History, ProjectKey | None, PlanVersions | None] | None = None
"""The plan, previous values, project key and plan versions of a worker process, sent once rather
than with every file."""


def workbook_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, each once; a directory becomes every workbook under it (coordinators file
    returns in one folder per period), sorted by path. Lock files Excel (~$name.xlsx) and
    LibreOffice (.~lock.name#) leave next to open workbooks, and hidden folders, are skipped.
    Whatever else is named like a workbook (a folder, a pipe, a link to a device) is listed as it
    is, so that validating it says what it is rather than passing over it in silence."""
    found: dict[Path, Path] = {}
    for path in map(Path, paths):
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in WORKBOOK_SUFFIXES
                and not p.name.startswith(("~$", "."))
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
        else:
            inside = [path]
        for file in inside:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def returned_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """`workbook_paths`, refusing none at all: a mistyped folder must not look like success."""
    paths = list(paths)
    files = workbook_paths(paths)
    if not files:
        raise MatrixError("error.no_workbooks", paths=[str(path) for path in paths])
    return files


def validate_paths(
    plan: Plan,
    paths: Iterable[Path],
    *,
    previous: History | None = None,
    workers: int | None = None,
    key: ProjectKey | None = None,
    versions: PlanVersions | None = None,
) -> list[ValidationResult]:
    """One result per workbook, in input order. `workers` defaults to 2 for large batches on a
    machine with 2 or more cores, else 1 (in this process). `key` and `versions` as for
    `validate_file`."""
    files = workbook_paths(paths)
    previous = dict(previous or {})
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    if workers <= 1 or len(files) <= 1:
        return [
            validate_file(plan, path, previous=previous, key=key, versions=versions)
            for path in files
        ]
    results: list[ValidationResult | None] = [None] * len(files)
    futures: list[Future] = []
    try:
        with _workers(workers, plan, previous, key, versions) as pool:
            # Workers are forked on the first submit. Frozen, the parent's objects are left out
            # of the workers' cycle collections, which otherwise walked (and copied) all of them:
            # a sixth of the CPU of validating 40 returns on two workers.
            gc.freeze()
            try:
                futures = _submit(pool, files)
            finally:
                gc.unfreeze()
            for index, future in enumerate(futures):
                results[index] = future.result()
    except BrokenProcessPool:
        # a native crash took the pool down: keep what finished, redo the rest one by one
        for index, future in enumerate(futures):
            if results[index] is None and _finished(future):
                results[index] = future.result()
        unfinished = [index for index, result in enumerate(results) if result is None]
        redone = _one_by_one(plan, [files[i] for i in unfinished], previous, key, versions)
        for index, result in zip(unfinished, redone, strict=True):
            results[index] = result
    return [result for result in results if result is not None]


@contextmanager
def _workers(
    count: int, plan: Plan, previous: History, key: ProjectKey | None, versions: PlanVersions | None
) -> Iterator[ProcessPoolExecutor]:
    """A pool that waits for its work when the batch ends normally, and stops at once otherwise
    (Ctrl-C must not wait for every queued file)."""
    context = multiprocessing.get_context()
    # the workers' parent is this process, or with "forkserver" the server that forks them
    parent = os.getpid() if context.get_start_method() != "forkserver" else None
    pool = ProcessPoolExecutor(
        count,
        mp_context=context,
        initializer=_start_worker,
        initargs=(plan, previous, key, versions, parent),
    )
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _submit(pool: ProcessPoolExecutor, files: list[Path]) -> list[Future]:
    """Submitting starts the workers: with Ctrl-C and SIGTERM held back until each has set its
    own handlers, since one arriving in between would print a worker's traceback."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        return [pool.submit(_validate, path) for path in files]
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        return [pool.submit(_validate, path) for path in files]
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Drop the queued files and end the workers now, abandoning the files they are reading."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
    else:
        processes = list((pool._processes or {}).values())  # no public way before 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)
    # The pool's manager thread closes its wake-up pipe as it ends; at exit Python wakes it through
    # that pipe without a lock, and the race printed "OSError: Bad file descriptor" after Ctrl-C.
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=5)


def _start_worker(
    plan: Plan,
    previous: History,
    key: ProjectKey | None,
    versions: PlanVersions | None,
    parent: int | None,
) -> None:
    global _worker
    # Ctrl-C reaches every process in the terminal's group: the parent stops the batch and ends the
    # workers. A worker forked from a parent that handles SIGTERM must still die of it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _exit_with_parent(parent)
    _worker = (plan, previous, key, versions)


def _exit_with_parent(parent: int | None) -> None:
    """A worker must not outlive the batch that started it: after a killed collect, workers
    stayed for minutes holding the store open. On Linux the kernel sends SIGTERM when the parent
    dies; elsewhere a thread watches for the parent to change. `parent` is None when a fork server
    started the worker (it ends with the batch's process)."""
    watched = os.getppid() if parent is None else parent
    if not _parent_death_signal(signal.SIGTERM):
        watch = threading.Thread(
            target=_watch_parent, args=(watched,), name="watch-parent", daemon=True
        )
        watch.start()
    if os.getppid() != watched:  # the parent died before the watch began
        os._exit(1)


def _parent_death_signal(signum: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(watched: int) -> None:
    while os.getppid() == watched:
        time.sleep(1)
    os._exit(1)


def _validate(path: Path) -> ValidationResult:
    assert _worker is not None, "worker started without its plan"
    plan, previous, key, versions = _worker
    return validate_file(plan, path, previous=previous, key=key, versions=versions)


Lookup = Callable[[set[str], str], History]
"""(offices, period) -> what the store accepted for those offices' rows before that period."""


def checked_against_history(
    plan: Plan, results: list[ValidationResult], earlier: Lookup
) -> Iterator[tuple[int, ValidationResult]]:
    """(index, result) of every result, each with the previous-period checks applied once its
    period is known from reading it: results without a usable period first (as they are), then
    period by period, oldest first, `earlier` asked for each period only when its returns come
    up, so a caller that records each return as it goes (`collect`) checks a period's returns
    against the ones before it."""
    by_period: dict[Period, list[int]] = {}
    for index, result in enumerate(results):
        found = _period_of(result)
        if found is None:
            yield index, result
        else:
            by_period.setdefault(found, []).append(index)
    for found in sorted(by_period):
        indexes = by_period[found]
        offices = {identity.office for i in indexes if (identity := results[i].identity)}
        history = earlier(offices, found.id)
        for index in indexes:
            yield index, with_previous(plan, results[index], history)


def _period_of(result: ValidationResult) -> Period | None:
    """The period of a return whose rows were read, the only kind worth checking against history."""
    if not result.rows or result.identity is None:
        return None
    try:
        return Period.parse(result.identity.period)
    except ValueError:
        return None


def _finished(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _one_by_one(
    plan: Plan,
    files: list[Path],
    previous: History,
    key: ProjectKey | None,
    versions: PlanVersions | None,
) -> list[ValidationResult]:
    """Each file alone in a worker, so a file that crashes its reader costs only itself."""
    results: list[ValidationResult] = []
    while len(results) < len(files):
        try:
            with _workers(1, plan, previous, key, versions) as pool:
                for path in files[len(results) :]:
                    [future] = _submit(pool, [path])
                    results.append(future.result())
        except BrokenProcessPool:
            path = files[len(results)]
            crashed = Code.READER_CRASHED.issue(file=str(path))
            results.append(ValidationResult(file=str(path), issues=[crashed]))
    return results
