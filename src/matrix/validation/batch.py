"""Validating many returns: directories expanded, files in worker processes for large batches,
results in input order, and a file that kills its reader reported instead of stopping the run."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from matrix.codes import Code
from matrix.models.plan import Plan
from matrix.models.returns import ValidationResult

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
"""What a directory of returns is searched for; .xls and .csv only to tell people to resend."""
PARALLEL_FROM = 8
"""Below this many files, starting worker processes costs more than it saves."""


def workbook_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a directory becomes its workbooks, sorted by name. Temporary lock files
    Excel leaves next to open workbooks (~$name.xlsx) are skipped."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith("~$")
            )
        else:
            found.append(path)
    return found


def validate_paths(
    plan: Plan, paths: Iterable[Path], *, previous: Mapping[tuple[str, str], float] | None = None,
    workers: int | None = None,
) -> list[ValidationResult]:
    """One result per workbook, in input order. `workers` defaults to 2 for large batches on a
    machine with 2 or more cores, else 1 (in this process)."""
    from matrix.validation import validate_file

    files = workbook_paths(paths)
    previous = dict(previous or {})
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    if workers <= 1 or len(files) <= 1:
        return [validate_file(plan, path, previous=previous) for path in files]
    try:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(partial(validate_file, plan, previous=previous), files, chunksize=4))
    except BrokenProcessPool:
        return [_alone(plan, path, previous) for path in files]


def _alone(plan: Plan, path: Path, previous: dict[tuple[str, str], float]) -> ValidationResult:
    """Validate one file in its own process, so a reader crash costs only that file."""
    from matrix.validation import validate_file

    try:
        with ProcessPoolExecutor(1) as pool:
            return pool.submit(validate_file, plan, path, previous=previous).result()
    except BrokenProcessPool:
        return ValidationResult(file=str(path), issues=[Code.READER_CRASHED.issue(file=str(path))])
