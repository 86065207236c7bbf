"""Validating many returns: directories expanded, files in worker processes for large batches,
results in input order, and a file that kills its reader reported instead of stopping the run."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult
from matrix.signing import ProjectKey

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
"""What a directory of returns is searched for; .xls and .csv only to tell people to resend."""
PARALLEL_FROM = 8
"""Below this many files, starting worker processes costs more than it saves."""

Previous = Mapping[tuple[str, str], float]
_worker: tuple[Plan, Previous, ProjectKey | None] | None = None
"""The plan, previous values and project key of a worker process, sent once rather than with
every file."""


def workbook_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, each once; a directory becomes every workbook under it (coordinators file
    returns in one folder per period), sorted by path. Lock files Excel (~$name.xlsx) and
    LibreOffice (.~lock.name#) leave next to open workbooks, and hidden folders, are skipped.
    Whatever else is named like a workbook (a folder, a pipe, a link to a device) is listed as it
    is, so that validating it says what it is rather than passing over it in silence."""
    found: dict[Path, Path] = {}
    for path in map(Path, paths):
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            inside = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
        else:
            inside = [path]
        for file in inside:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def returned_workbooks(paths: Iterable[Path]) -> list[Path]:
    """`workbook_paths`, refusing none at all: a mistyped folder must not look like success."""
    paths = list(paths)
    files = workbook_paths(paths)
    if not files:
        raise MatrixError(f"no workbooks (.xlsx) in {', '.join(map(str, paths))}")
    return files


def validate_paths(
    plan: Plan, paths: Iterable[Path], *, previous: Previous | None = None, workers: int | None = None,
    key: ProjectKey | None = None,
) -> list[ValidationResult]:
    """One result per workbook, in input order. `workers` defaults to 2 for large batches on a
    machine with 2 or more cores, else 1 (in this process). `key` as for `validate_file`."""
    from matrix.validation import validate_file

    files = workbook_paths(paths)
    previous = dict(previous or {})
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    if workers <= 1 or len(files) <= 1:
        return [validate_file(plan, path, previous=previous, key=key) for path in files]
    results: list[ValidationResult | None] = [None] * len(files)
    futures: list[Future] = []
    try:
        with _pool(workers, plan, previous, key) as pool:
            futures = [pool.submit(_validate, path) for path in files]
            for index, future in enumerate(futures):
                results[index] = future.result()
    except BrokenProcessPool:
        # a native crash took the pool down: keep what finished, redo the rest one by one
        for index, future in enumerate(futures):
            if results[index] is None and _finished(future):
                results[index] = future.result()
        unfinished = [index for index, result in enumerate(results) if result is None]
        for index, result in zip(unfinished, _one_by_one(plan, [files[i] for i in unfinished], previous, key),
                                 strict=True):
            results[index] = result
    return [result for result in results if result is not None]


def _pool(workers: int, plan: Plan, previous: Previous, key: ProjectKey | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(plan, previous, key))


def _start_worker(plan: Plan, previous: Previous, key: ProjectKey | None) -> None:
    global _worker
    _worker = (plan, previous, key)


def _validate(path: Path) -> ValidationResult:
    from matrix.validation import validate_file

    assert _worker is not None, "worker started without its plan"
    plan, previous, key = _worker
    return validate_file(plan, path, previous=previous, key=key)


def _finished(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _one_by_one(
    plan: Plan, files: list[Path], previous: Previous, key: ProjectKey | None
) -> list[ValidationResult]:
    """Each file alone in a worker, so a file that crashes its reader costs only itself."""
    results = []
    pool = _pool(1, plan, previous, key)
    try:
        for path in files:
            try:
                results.append(pool.submit(_validate, path).result())
            except BrokenProcessPool:
                results.append(ValidationResult(file=str(path), issues=[Code.READER_CRASHED.issue(file=str(path))]))
                pool.shutdown(wait=False)
                pool = _pool(1, plan, previous, key)
    finally:
        pool.shutdown()
    return results
